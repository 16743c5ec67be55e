import assert from "node:assert/strict";
import { dialBoth } from "./dial.ts";

Deno.test("dialBoth keeps trying until a listener is up, then connects both", async () => {
  using logs = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const commPort = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const dialing = dialBoth(
    `127.0.0.1:${(logs.addr as Deno.NetAddr).port}`,
    `127.0.0.1:${commPort}`,
    new AbortController().signal,
  );
  await new Promise((resolve) => setTimeout(resolve, 120));
  using comm = Deno.listen({ hostname: "127.0.0.1", port: commPort });
  const [logConn, commConn] = await dialing;
  using _a = await logs.accept();
  using _b = await comm.accept();
  assert.equal((logConn.remoteAddr as Deno.NetAddr).port, (logs.addr as Deno.NetAddr).port);
  assert.equal((commConn.remoteAddr as Deno.NetAddr).port, commPort);
  logConn.close();
  commConn.close();
});

Deno.test("dialBoth gives up when stopped, naming the flag it could not connect", async () => {
  using logs = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const commPort = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const stop = new AbortController();
  const dialing = dialBoth(
    `127.0.0.1:${(logs.addr as Deno.NetAddr).port}`,
    `127.0.0.1:${commPort}`,
    stop.signal,
  );
  setTimeout(() => stop.abort("SIGTERM"), 100);
  await assert.rejects(dialing, new RegExp(`Cannot connect --comm=127.0.0.1:${commPort}`));
  (await logs.accept()).close();
});
