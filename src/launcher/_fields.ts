import { ProtocolError } from "./protocol_error.ts";

type JsonObject = Record<string, unknown>;

/** Whether a value is a plain JSON object (not an array or null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads typed fields of one JSON object of a request. Every failure is a `ProtocolError`
 * naming the field by its path (`job.environment[2].value`), so the Launcher learns
 * exactly what was wrong.
 */
export class Fields {
  readonly #object: JsonObject;
  readonly #path: string;
  readonly #requestId: number;

  constructor(object: JsonObject, requestId: number, path = "") {
    this.#object = object;
    this.#path = path;
    this.#requestId = requestId;
  }

  /** The underlying object. */
  get raw(): JsonObject {
    return this.#object;
  }

  has(name: string): boolean {
    return this.#object[name] !== undefined && this.#object[name] !== null;
  }

  fail(name: string, expected: string, value: unknown = this.#object[name]): never {
    const actual = describe(value);
    throw new ProtocolError(
      `Invalid request: field "${this.#path}${name}" must be ${expected}, got ${actual}`,
      { requestId: this.#requestId },
    );
  }

  missing(name: string): never {
    throw new ProtocolError(`Invalid request: missing field "${this.#path}${name}"`, {
      requestId: this.#requestId,
    });
  }

  string(name: string): string {
    const value = this.#object[name];
    if (value === undefined || value === null) this.missing(name);
    if (typeof value !== "string") this.fail(name, "a string");
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.has(name) ? this.string(name) : undefined;
  }

  boolean(name: string): boolean {
    const value = this.#object[name];
    if (value === undefined || value === null) this.missing(name);
    if (typeof value !== "boolean") this.fail(name, "a boolean");
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    return this.has(name) ? this.boolean(name) : undefined;
  }

  /** A non-negative safe integer, as IDs and counters are. */
  id(name: string): number {
    const value = this.#object[name];
    if (value === undefined || value === null) this.missing(name);
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      this.fail(name, "a non-negative integer");
    }
    return value as number;
  }

  integer(name: string): number {
    const value = this.#object[name];
    if (value === undefined || value === null) this.missing(name);
    if (!Number.isSafeInteger(value)) this.fail(name, "an integer");
    return value as number;
  }

  optionalInteger(name: string): number | undefined {
    return this.has(name) ? this.integer(name) : undefined;
  }

  stringArray(name: string): string[] {
    const value = this.#object[name];
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
      this.fail(name, "an array of strings");
    }
    return value as string[];
  }

  optionalStringArray(name: string): string[] | undefined {
    return this.has(name) ? this.stringArray(name) : undefined;
  }

  object(name: string): Fields {
    const value = this.#object[name];
    if (value === undefined || value === null) this.missing(name);
    if (!isObject(value)) this.fail(name, "an object");
    return new Fields(value, this.#requestId, `${this.#path}${name}.`);
  }

  optionalObject(name: string): Fields | undefined {
    return this.has(name) ? this.object(name) : undefined;
  }

  /** Each element of an array of objects, as `Fields`. */
  objectArray(name: string): Fields[] {
    const value = this.#object[name];
    if (!Array.isArray(value)) this.fail(name, "an array of objects");
    return value.map((item, index) => {
      if (!isObject(item)) this.fail(`${name}[${index}]`, "an object", item);
      return new Fields(item, this.#requestId, `${this.#path}${name}[${index}].`);
    });
  }

  optionalObjectArray(name: string): Fields[] | undefined {
    return this.has(name) ? this.objectArray(name) : undefined;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `"${value.length > 40 ? value.slice(0, 40) + "…" : value}"`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}
