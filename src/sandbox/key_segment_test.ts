import assert from "node:assert/strict";
import { MAX_KEY_SEGMENT_BYTES } from "./constants.ts";
import { airflowInstanceKey, instanceKeyFor } from "./isolation.ts";
import { decodeSegment, encodeSegment } from "./key_segment.ts";

// Names the old `safeSegment` folded together, path steps, reserved names, escapes that
// look like encodings, unicode, and names around the length limit.
const ADVERSARIAL = [
  "",
  ".",
  "..",
  "...",
  "shared",
  "_shared_",
  "%73hared",
  "Shared",
  "shared ",
  "rt user",
  "rt_user",
  "rt/user",
  "rt%20user",
  "rt%2Fuser",
  "%",
  "%%",
  "%2E",
  "ops team",
  "ops_team",
  "a\u0000b",
  "a\nb",
  "é",
  "e\u0301",
  "\uFFFD",
  "日本語",
  "😀",
  "x".repeat(MAX_KEY_SEGMENT_BYTES),
  "x".repeat(MAX_KEY_SEGMENT_BYTES + 1),
  "x".repeat(MAX_KEY_SEGMENT_BYTES + 2),
  "/".repeat(MAX_KEY_SEGMENT_BYTES),
  "/".repeat(MAX_KEY_SEGMENT_BYTES) + "a",
  "é".repeat(4000),
];

const ALPHABET = ["a", "Z", "0", "_", "-", ".", "@", "+", "%", "/", " ", ":", "é", "😀", "\n"];

/** Deterministic pseudo-random names (xorshift), so a failure can be replayed. */
function* randomNames(count: number, seed = 0x9e3779b9): Generator<string> {
  let state = seed;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  for (let n = 0; n < count; n++) {
    const length = next() % (n % 50 === 0 ? 300 : 8);
    let name = "";
    for (let i = 0; i < length; i++) name += ALPHABET[next() % ALPHABET.length];
    yield name;
  }
}

function checkSegment(name: string): string {
  const segment = encodeSegment(name);
  assert.ok(new TextEncoder().encode(segment).length <= MAX_KEY_SEGMENT_BYTES, segment);
  assert.match(segment, /^[A-Za-z0-9._@+%-]+$/);
  assert.ok(!["", ".", "..", "shared"].includes(segment), `${JSON.stringify(name)} → ${segment}`);
  if (!segment.includes("%%")) assert.equal(decodeSegment(segment), name);
  return segment;
}

Deno.test("encodeSegment maps adversarial and random names to distinct, decodable segments", () => {
  const seen = new Map<string, string>();
  for (const name of new Set([...ADVERSARIAL, ...randomNames(20_000)])) {
    const segment = checkSegment(name);
    const other = seen.get(segment);
    assert.equal(other, undefined, `${JSON.stringify(name)} and ${JSON.stringify(other)} collide`);
    seen.set(segment, name);
  }
});

Deno.test("instance keys of distinct tenant and user pairs never collide, at any level", () => {
  const names = [...new Set([...ADVERSARIAL, ...randomNames(300, 7)])];
  for (const level of ["namespace", "session"] as const) {
    const seen = new Map<string, string>();
    for (const tenant of names) {
      for (const user of level === "session" ? names : ["u"]) {
        const key = instanceKeyFor(level, { user, tenant });
        const pair = JSON.stringify([tenant, user]);
        assert.notEqual(key, "shared", pair);
        assert.equal(seen.get(key), undefined, `${pair} and ${seen.get(key)} share "${key}"`);
        seen.set(key, pair);
        const dagRun = airflowInstanceKey(level, { dagId: tenant, runId: user });
        assert.equal(dagRun, key, "Airflow keys use the same encoding");
      }
    }
  }
});

Deno.test("encodeSegment keeps plain names as they are", () => {
  for (const name of ["alice", "rt_user", "research-2", "a.b@c+d", "_shared_"]) {
    assert.equal(encodeSegment(name), name);
  }
});

Deno.test("encodeSegment hashes a long name under the limit, keeping a readable prefix", () => {
  const segment = encodeSegment("x".repeat(300));
  assert.match(segment, /^x{96}%%[0-9a-f]{64}$/);
  assert.match(encodeSegment(":".repeat(100)), /^(%3A){32}%%[0-9a-f]{64}$/);
  assert.throws(() => decodeSegment(segment), /Cannot decode key segment ".*": it is a hashed/);
});

Deno.test("decodeSegment refuses what encodeSegment never yields", () => {
  for (const bad of ["a%2", "a%zz", "%61", "a%2e", "a b", "a/b", "%2E.", "shared", "%FF"]) {
    assert.throws(() => decodeSegment(bad), RangeError, bad);
  }
});

Deno.test("encodeSegment refuses a lone surrogate, which would fold into U+FFFD", () => {
  assert.throws(() => encodeSegment("\uD800", "tenant"), /tenant "\\ud800" is not well-formed/);
});
