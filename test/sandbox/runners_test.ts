import assert from "node:assert/strict";
import { spawnHost, withHost } from "../_support/host_process.ts";
import { collect, jobRequest, submit, waitForStatus } from "../_support/requests.ts";
import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const skip = await ensureTestUsers();
const [ALICE, BOB] = TEST_USERS;

/** The host's runner processes (its children running the runner): pid → uid. */
async function runnersOf(hostPid: number): Promise<Map<number, number>> {
  const out = await new Deno.Command("ps", { args: ["-eo", "pid=,ppid=,uid=,args="] }).output();
  const runners = new Map<number, number>();
  for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
    const [pid, ppid, uid, ...args] = line.trim().split(/\s+/);
    if (Number(ppid) === hostPid && args.join(" ").includes("runner")) {
      runners.set(Number(pid), Number(uid));
    }
  }
  return runners;
}

/** Which of these pids still exist. */
async function alive(pids: Iterable<number>): Promise<number[]> {
  const list = [...pids];
  if (list.length === 0) return [];
  const out = await new Deno.Command("ps", { args: ["-o", "pid=", "-p", list.join(",")] }).output();
  return new TextDecoder().decode(out.stdout).split("\n").map(Number).filter((pid) => pid > 0);
}

async function uidOf(user: string): Promise<number> {
  const out = await new Deno.Command("id", { args: ["-u", user] }).output();
  return Number(new TextDecoder().decode(out.stdout));
}

Deno.test({
  name:
    `Two users' session instances run as separate processes with their own uids and directories${
      skip ? ` (skipped: ${skip})` : ""
    }`,
  ignore: skip !== undefined,
  ...opts,
  async fn() {
    await withHost({ pluginName: "local", config: [] }, async (host) => {
      const { client } = host;
      await client.bootstrap();
      const outputs: string[] = [];
      for (const user of [ALICE, BOB]) {
        const job = await submit(client, user, { command: "id -u; pwd" });
        await waitForStatus(client, user, String(job.id), "Finished");
        const chunks = await collect(
          client.openStream(jobRequest(client, 6, user, String(job.id), { outputType: 0 })),
        );
        outputs.push(chunks.map((m) => m.output ?? "").join(""));
      }
      const aliceDir = `${host.scratch}/instances/ns/${ALICE}/${ALICE}`;
      const bobDir = `${host.scratch}/instances/ns/${BOB}/${BOB}`;
      assert.equal(outputs[0], `${await uidOf(ALICE)}\n${aliceDir}\n`);
      assert.equal(outputs[1], `${await uidOf(BOB)}\n${bobDir}\n`);
      for (const [dir, user] of [[aliceDir, ALICE], [bobDir, BOB]] as const) {
        const info = await Deno.stat(dir);
        assert.equal(info.uid, await uidOf(user));
        assert.equal(info.mode! & 0o777, 0o700);
      }
      const runners = await runnersOf(host.pid);
      assert.deepEqual([...runners.values()].sort(), [await uidOf(ALICE), await uidOf(BOB)].sort());
    });
  },
});

/**
 * The host's runners once the inmemory plugin's instance has one and the pool (size 1) has
 * started the replacement of the one the instance took.
 */
async function servingAndPooled(hostPid: number): Promise<Map<number, number>> {
  let runners = await runnersOf(hostPid);
  for (let i = 0; i < 100 && runners.size < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    runners = await runnersOf(hostPid);
  }
  assert.equal(runners.size, 2, "one runner serves the inmemory plugin, one waits in the pool");
  return runners;
}

Deno.test(
  "No runner, pooled or serving, outlives a host killed with SIGKILL (parent-death signal)",
  opts,
  async () => {
    const host = await spawnHost({ args: ["--runner-pool-size=1"] });
    try {
      await host.client.bootstrap();
      await submit(host.client, "alice");
      const before = await servingAndPooled(host.pid);
      host.kill("SIGKILL");
      await host.status();
      let left = await alive(before.keys());
      for (let i = 0; i < 50 && left.length > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        left = await alive(before.keys());
      }
      assert.deepEqual(left, []);
    } finally {
      await host[Symbol.asyncDispose]();
    }
  },
);

Deno.test(
  "Graceful shutdown stops every runner, pooled or serving, before the host exits 0",
  opts,
  async () => {
    const host = await spawnHost({ args: ["--runner-pool-size=1"] });
    try {
      await host.client.bootstrap();
      await submit(host.client, "alice");
      const runners = await servingAndPooled(host.pid);
      host.kill("SIGTERM");
      assert.equal((await host.status()).code, 0);
      assert.deepEqual(await alive(runners.keys()), []);
    } finally {
      await host[Symbol.asyncDispose]();
    }
  },
);
