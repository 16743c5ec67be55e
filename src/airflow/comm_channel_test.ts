import assert from "node:assert/strict";
import { Encoder } from "@msgpack/msgpack";
import { CommChannel } from "./comm_channel.ts";

async function pair() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const client = await Deno.connect({
    hostname: "127.0.0.1",
    port: (listener.addr as Deno.NetAddr).port,
  });
  const server = await listener.accept();
  listener.close();
  return { client, server };
}

function frame(value: unknown): Uint8Array {
  const payload = new Encoder().encode(value);
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length, false);
  out.set(payload, 4);
  return out;
}

Deno.test("CommChannel reads the greeting, then matches replies to concurrent requests by id", async () => {
  const { client, server } = await pair();
  const anomalies: string[] = [];
  await using comm = new CommChannel(client, (message) => anomalies.push(message));
  await server.write(frame([0, { type: "StartupDetails" }, null]));
  assert.equal((await comm.greeting()).body!.type, "StartupDetails");
  const a = comm.request({ type: "GetVariable", key: "a" });
  const b = comm.request({ type: "GetVariable", key: "b" });
  await server.write(frame([2, { type: "VariableResult", value: "B" }, null]));
  await server.write(frame([1, null, { type: "ErrorResponse", error: "API_SERVER_ERROR" }]));
  await server.write(frame([99, null, null]));
  assert.equal((await b).body!.value, "B");
  assert.equal((await a).error!.error, "API_SERVER_ERROR");
  for (let i = 0; i < 100 && anomalies.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.deepEqual(anomalies, ["Unexpected frame from the supervisor with id 99"]);
  server.close();
});

Deno.test("CommChannel gives up on a request the supervisor never answers", async () => {
  const { client, server } = await pair();
  await using comm = new CommChannel(client, () => {});
  await server.write(frame([0, { type: "StartupDetails" }, null]));
  await comm.greeting();
  await assert.rejects(
    comm.request({ type: "SetXCom" }, 50),
    /Airflow did not answer SetXCom within 0.05 s/,
  );
  server.close();
});

Deno.test("CommChannel fails pending requests when the supervisor closes the socket", async () => {
  const { client, server } = await pair();
  await using comm = new CommChannel(client, () => {});
  await server.write(frame([0, { type: "StartupDetails" }, null]));
  await comm.greeting();
  const pending = comm.request({ type: "GetVariable", key: "x" });
  server.close();
  await assert.rejects(pending, /closed the comm socket/);
});

Deno.test("CommChannel answers the oldest request with an error for an undecodable frame and keeps serving", async () => {
  const { client, server } = await pair();
  const anomalies: string[] = [];
  await using comm = new CommChannel(client, (message) => anomalies.push(message));
  await server.write(frame([0, { type: "StartupDetails" }, null]));
  await comm.greeting();
  const first = comm.request({ type: "GetVariable", key: "a" });
  const second = comm.request({ type: "GetVariable", key: "b" });
  await server.write(new Uint8Array([0, 0, 0, 1, 0xc1]));
  await server.write(frame([2, { type: "VariableResult", value: "B" }, null]));
  await assert.rejects(first, /Cannot decode a supervisor frame/);
  assert.equal((await second).body!.value, "B");
  assert.equal(anomalies.length, 1);
  assert.match(anomalies[0]!, /taken as the reply to GetVariable/);
  server.close();
});

Deno.test("CommChannel fails the greeting when the first frame cannot be decoded", async () => {
  const { client, server } = await pair();
  await using comm = new CommChannel(client, () => {});
  await server.write(new Uint8Array([0, 0, 0, 2, 0x92, 0xc1]));
  await assert.rejects(comm.greeting(), /Cannot decode a supervisor frame/);
  server.close();
});
