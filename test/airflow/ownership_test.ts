import assert from "node:assert/strict";
import { connectionOwner } from "./_ownership.ts";

Deno.test(
  "The test supervisor's ownership check tells the launched process tree from anyone else",
  async () => {
    using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const { port } = listener.addr as Deno.NetAddr;
    using _dialed = await Deno.connect({ hostname: "127.0.0.1", port });
    using accepted = await listener.accept();
    // Lives until killed: the "foreign" verdict retries for a second or more (longer under
    // load), and a child that exited first made `kill` throw.
    const other = new Deno.Command("sleep", { args: ["infinity"] }).spawn();
    try {
      assert.equal(await connectionOwner(accepted, Deno.pid), "owned");
      assert.equal(await connectionOwner(accepted, other.pid), "foreign");
    } finally {
      other.kill();
      await other.status;
    }
  },
);
