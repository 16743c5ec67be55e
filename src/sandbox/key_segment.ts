import { sha256Hex } from "./_sha256.ts";
import { MAX_KEY_SEGMENT_BYTES } from "./constants.ts";

// Bytes kept as they are; every other UTF-8 byte becomes `%XX` (upper-case hex). `%` is
// not in the set, so it is always escaped itself and `%` in an output always starts an
// escape (or the `%` of the empty name, or the `%%` of a hashed long name).
const SAFE = /^[A-Za-z0-9._@+-]$/;
const SAFE_BYTES = new Set(
  Array.from({ length: 128 }, (_, b) => b).filter((b) => SAFE.test(String.fromCharCode(b))),
);

// Names whose plain encoding would be a path step or a name the scratch layout reserves:
// each gets its first byte escaped, which the plain encoding never does for a safe byte.
const RESERVED: Readonly<Record<string, string>> = {
  "": "%",
  ".": "%2E",
  "..": "%2E%2E",
  shared: "%73hared",
};

/** Bytes of a long name's encoding kept in front of its hash, for a human reading `ls`. */
const LONG_PREFIX_BYTES = 96;

/**
 * Encodes a user, tenant, DAG or run name as one path segment and key part: injective
 * (no two names give one segment), never `/`, `.`, `..`, empty or `shared`, at most
 * {@linkcode MAX_KEY_SEGMENT_BYTES} bytes. Names made only of `A-Z a-z 0-9 . _ @ + -`
 * stay as they are; every other byte is `%XX`. An encoding longer than the limit becomes
 * its first bytes, `%%` and the SHA-256 of the name (injective as far as SHA-256 is).
 * Throws `RangeError` for a string that is not well-formed Unicode (a lone surrogate),
 * which UTF-8 cannot carry apart from U+FFFD.
 */
export function encodeSegment(name: string, what = "name"): string {
  if (!name.isWellFormed()) {
    throw new RangeError(
      `Cannot make an instance key: ${what} ${JSON.stringify(name)} is not well-formed Unicode`,
    );
  }
  const reserved = RESERVED[name];
  if (reserved !== undefined) return reserved;
  const bytes = new TextEncoder().encode(name);
  let out = "";
  for (const byte of bytes) {
    out += SAFE_BYTES.has(byte) ? String.fromCharCode(byte) : `%${hex(byte)}`;
  }
  if (out.length <= MAX_KEY_SEGMENT_BYTES) return out;
  const cut = out.slice(0, LONG_PREFIX_BYTES).replace(/%[0-9A-F]?$/, "");
  return `${cut}%%${sha256Hex(bytes)}`;
}

/**
 * The name a segment from {@linkcode encodeSegment} stands for. Throws `RangeError` for
 * a string that encoding never yields, and for a hashed long name (its prefix is all
 * that is left of it).
 */
export function decodeSegment(segment: string): string {
  for (const [name, encoded] of Object.entries(RESERVED)) if (segment === encoded) return name;
  if (segment.includes("%%")) {
    throw new RangeError(`Cannot decode key segment "${segment}": it is a hashed long name`);
  }
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    const char = segment.charCodeAt(i);
    if (segment[i] === "%") {
      const pair = segment.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(pair) || SAFE_BYTES.has(parseInt(pair, 16))) {
        throw new RangeError(`Cannot decode key segment "${segment}": bad escape at ${i}`);
      }
      bytes.push(parseInt(pair, 16));
      i += 2;
    } else if (SAFE_BYTES.has(char)) {
      bytes.push(char);
    } else {
      throw new RangeError(`Cannot decode key segment "${segment}": bad character at ${i}`);
    }
  }
  let name: string;
  try {
    name = new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bytes));
  } catch (error) {
    throw new RangeError(`Cannot decode key segment "${segment}": not UTF-8`, { cause: error });
  }
  if (encodeSegment(name) !== segment) {
    throw new RangeError(`Cannot decode key segment "${segment}": it is not canonical`);
  }
  return name;
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, "0");
}
