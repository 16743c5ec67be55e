// The ESM build: the package's `main` is CommonJS, whose loader costs ~45 ms of start-up.
import { Decoder, Encoder } from "@msgpack/msgpack/dist.esm/index.mjs";

/** A msgpack map with string keys, discriminated by `type`. */
export type Body = Record<string, unknown>;

/** A decoded supervisor frame: `[id, body|nil, error|nil]`. */
export interface ResponseFrame {
  id: number;
  body: Body | null;
  error: Body | null;
}

// 64-bit integers stay exact (bigint beyond 2^53); Timestamp ext -1 in all widths → Date.
// Map keys must be strings, as every supervisor body has them.
const decoder = new Decoder({ useBigInt64: true, mapKeyConverter: stringKey });
const encoder = new Encoder({ useBigInt64: true, ignoreUndefined: true });

/** Encodes a runtime request `[id, body]`. Dates become ISO strings; bytes are refused. */
export function encodeRequest(id: number, body: Body): Uint8Array {
  return encoder.encode([id, toWire(body, "body")]);
}

/** Decodes a supervisor frame; throws `SyntaxError` naming what was wrong. */
export function decodeResponse(payload: Uint8Array): ResponseFrame {
  let value: unknown;
  try {
    value = decoder.decode(payload);
  } catch (error) {
    throw new SyntaxError(`Cannot decode a supervisor frame: ${(error as Error).message}`);
  }
  if (!Array.isArray(value) || value.length < 2) {
    throw new SyntaxError("Cannot decode a supervisor frame: expected [id, body, error]");
  }
  const [id, body, error] = value;
  const numericId = typeof id === "bigint" ? Number(id) : id;
  if (!Number.isSafeInteger(numericId)) {
    throw new SyntaxError(`Cannot decode a supervisor frame: id ${String(id)} is not an integer`);
  }
  return {
    id: numericId as number,
    body: safeIntegers(asBody(body, "body")),
    error: safeIntegers(asBody(error ?? null, "error")),
  };
}

/**
 * The supervisor's side, for the fake supervisor of `launchbox airflow-test`: encodes a
 * frame `[id, body|nil, error|nil]` as Airflow does (a `Date` becomes a Timestamp ext).
 */
export function encodeSupervisorFrame(
  id: number,
  body: Body | null,
  error: Body | null,
): Uint8Array {
  return encoder.encode([id, body, error]);
}

/** The supervisor's side: decodes a runtime request `[id, body]`; throws `SyntaxError`. */
export function decodeRuntimeRequest(payload: Uint8Array): { id: number; body: Body } {
  const frame = decodeResponse(payload);
  if (!frame.body) throw new SyntaxError("Cannot decode a runtime request: the body slot is nil");
  return { id: frame.id, body: frame.body };
}

function stringKey(key: unknown): string {
  if (typeof key === "string") return key;
  throw new SyntaxError(`map key ${String(key)} is not a string`);
}

/** int64-encoded values that fit a double become numbers; only larger ones stay `bigint`. */
function safeIntegers<T>(value: T): T {
  if (typeof value === "bigint") {
    return (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value) as T;
  }
  if (Array.isArray(value)) return value.map(safeIntegers) as T;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const map = value as Record<string, unknown>;
    for (const key of Object.keys(map)) map[key] = safeIntegers(map[key]);
  }
  return value;
}

function asBody(value: unknown, slot: string): Body | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object" || Array.isArray(value) || value instanceof Date) {
    throw new SyntaxError(`Cannot decode a supervisor frame: the ${slot} slot is not a map`);
  }
  return value as Body;
}

/**
 * Makes a value safe for the supervisor: `Date` → ISO string (JSON fields reject
 * timestamps), `undefined` map values dropped; bytes, non-finite numbers and objects that
 * are not plain (a `Map` would become `{}`) refused with a `TypeError` naming where they were.
 */
export function toWire(value: unknown, path: string): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    throw new TypeError(
      `Cannot send ${path} to Airflow: binary data is not JSON; encode it as text first`,
    );
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new TypeError(`Cannot send ${path} to Airflow: ${value} is not a JSON number`);
  }
  if (Array.isArray(value)) return value.map((item, i) => toWire(item, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = (value as object).constructor?.name ?? "object";
      throw new TypeError(`Cannot send ${path} to Airflow: a ${kind} is not JSON`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = toWire(item, `${path}.${key}`);
    }
    return out;
  }
  return value;
}

/** A datetime field: Timestamp ext (already a Date) or an ISO-8601 string. */
export function asDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === "string" && value !== "") {
    const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}
