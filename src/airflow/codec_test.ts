import assert from "node:assert/strict";
import { Encoder } from "@msgpack/msgpack";
import { asDate, decodeResponse, encodeRequest } from "./codec.ts";

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const fromHex = (text: string) => new Uint8Array(text.match(/../g)!.map((h) => parseInt(h, 16)));

Deno.test("encodeRequest writes [id, body] exactly as the spec's example", () => {
  assert.equal(
    hex(encodeRequest(0, { type: "GetVariable", key: "my_var" })),
    "920082a474797065ab4765745661726961626c65a36b6579a66d795f766172",
  );
});

Deno.test("decodeResponse reads a 3-element reply and an empty reply", () => {
  const reply = fromHex(
    "9300" + "83a36b6579a66d795f766172a576616c7565a176a474797065ae5661726961626c65526573756c74" +
      "c0",
  );
  assert.deepEqual(decodeResponse(reply), {
    id: 0,
    body: { key: "my_var", value: "v", type: "VariableResult" },
    error: null,
  });
  assert.deepEqual(decodeResponse(fromHex("9303c0c0")), { id: 3, body: null, error: null });
  assert.deepEqual(decodeResponse(fromHex("9203c0")), { id: 3, body: null, error: null });
});

Deno.test("decodeResponse turns Timestamp extensions of all three widths into dates", () => {
  const ts32 = fromHex("d6ff6a313ac0");
  const ts64 = fromHex("d7ff1d5353006a313ac0");
  const ts96 = fromHex("c70cff" + "00000000" + "000000006a313ac0");
  for (
    const [stamp, iso] of [[ts32, "2026-06-16T12:00:00.000Z"], [ts64, "2026-06-16T12:00:00.123Z"], [
      ts96,
      "2026-06-16T12:00:00.000Z",
    ]] as const
  ) {
    const frame = new Uint8Array([0x93, 0x00, 0x81, 0xa1, 0x74, ...stamp, 0xc0]);
    const { body } = decodeResponse(frame);
    assert.ok(body!.t instanceof Date);
    assert.equal((body!.t as Date).toISOString(), iso);
  }
});

Deno.test("decodeResponse keeps 64-bit integers exact", () => {
  const big = 2n ** 63n - 5n;
  const frame = new Encoder({ useBigInt64: true }).encode([1, { n: big, small: 42 }, null]);
  const { body } = decodeResponse(frame);
  assert.equal(body!.n, big);
  assert.equal(body!.small, 42);
});

Deno.test("decodeResponse reads int64-encoded values that fit a double as numbers", () => {
  // [1, {"n": int64 7, "list": [uint64 2^53 - 1]}, nil]
  const frame = fromHex(
    "9301" + "82a16ed30000000000000007" + "a46c69737491cf001fffffffffffff" + "c0",
  );
  assert.deepEqual(decodeResponse(frame).body, { n: 7, list: [Number.MAX_SAFE_INTEGER] });
});

Deno.test("decodeResponse refuses maps with keys that are not strings", () => {
  assert.throws(() => decodeResponse(fromHex("93018101a178c0")), /map key 1 is not a string/);
});

Deno.test("decodeResponse refuses frames that are not [id, body, error]", () => {
  assert.throws(() => decodeResponse(fromHex("c0")), /expected \[id, body, error\]/);
  assert.throws(() => decodeResponse(fromHex("92a178c0")), /id x is not an integer/);
  assert.throws(() => decodeResponse(fromHex("9201a3616263")), /body slot is not a map/);
  assert.throws(() => decodeResponse(fromHex("c1")), /Cannot decode a supervisor frame/);
});

Deno.test("encodeRequest sends dates as ISO strings and refuses bytes", () => {
  const bytes = encodeRequest(2, {
    type: "SetXCom",
    value: { at: new Date("2026-01-01T00:00:00Z"), gone: undefined },
  });
  assert.ok(hex(bytes).includes(hex(new TextEncoder().encode("2026-01-01T00:00:00.000Z"))));
  assert.ok(!hex(bytes).includes(hex(new TextEncoder().encode("gone"))));
  assert.throws(
    () => encodeRequest(3, { type: "SetXCom", value: new Uint8Array(2) }),
    /body\.value to Airflow: binary data/,
  );
  assert.throws(
    () => encodeRequest(3, { type: "SetXCom", value: NaN }),
    /NaN is not a JSON number/,
  );
  assert.throws(
    () => encodeRequest(3, { type: "SetXCom", value: { rows: new Map([["a", 1]]) } }),
    /body\.value\.rows to Airflow: a Map is not JSON/,
  );
  const nullPrototype = Object.assign(Object.create(null), { a: 1 });
  assert.ok(encodeRequest(3, { type: "SetXCom", value: nullPrototype }).length > 0);
});

Deno.test("asDate accepts Dates and ISO strings with or without a zone", () => {
  assert.equal(asDate("2026-06-16T12:00:00+02:00")!.toISOString(), "2026-06-16T10:00:00.000Z");
  assert.equal(asDate("2026-06-16T12:00:00")!.toISOString(), "2026-06-16T12:00:00.000Z");
  assert.equal(asDate(null), undefined);
  assert.equal(asDate("yesterday"), undefined);
});
