import assert from "node:assert/strict";
import type { LauncherClient } from "../../src/launcher/launcher_client.ts";
import { PLUGIN_LOG_MAX_LINE_BYTES } from "../../src/sandbox/constants.ts";
import { withHost } from "../_support/host_process.ts";
import { userRequest } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const FIXTURES = new URL("./fixtures", import.meta.url).pathname;
const MIB = 1024 * 1024;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const match = new RegExp(`^${name}\\{plugin="floods_stderr"\\} (\\d+)$`, "m").exec(text);
  return Number(match?.[1] ?? 0);
}

/** The host's peak resident memory (VmHWM), in bytes; through `grep`, as /proc needs -A. */
async function peakRss(pid: number): Promise<number> {
  const out = await new Deno.Command("grep", { args: ["VmHWM", `/proc/${pid}/status`] }).output();
  return Number(/(\d+) kB/.exec(new TextDecoder().decode(out.stdout))![1]) * 1024;
}

async function submitNamed(client: LauncherClient, user: string, name: string) {
  const reply = await client.request(userRequest(client, 2, user, { job: { command: "x", name } }));
  assert.equal(reply.messageType, 2, `${user}'s "${name}" job: ${JSON.stringify(reply)}`);
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 600; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Gave up waiting until ${what}`);
}

Deno.test(
  "A plugin writing 64 MiB without a newline and a line flood leaves host memory bounded and other instances serving",
  opts,
  async () => {
    const port = freePort();
    await withHost({
      pluginsDir: FIXTURES,
      pluginName: "floods_stderr",
      config: [],
      args: [`--metrics-address=127.0.0.1:${port}`],
    }, async (host) => {
      const { client } = host;
      await client.bootstrap();
      await submitNamed(client, "alice", "fine");
      await submitNamed(client, "bob", "fine");
      // Peak, not current, RSS: a transient spike counts. The old line splitter grew the
      // host by about 300 MB here; a splitter that kept a fresh 64 KiB chunk per read by 50.
      const before = await peakRss(host.pid);

      await submitNamed(client, "alice", "no-newline");
      const cut = "launchbox_plugin_log_cut_bytes_total";
      await until("the 64 MiB line is cut", async () => await metric(port, cut) >= 63 * MIB);
      await submitNamed(client, "bob", "fine");

      await submitNamed(client, "alice", "line-flood");
      const dropped = "launchbox_plugin_log_dropped_lines_total";
      await until("flood lines are dropped", async () => await metric(port, dropped) > 50_000);
      await submitNamed(client, "bob", "fine");
      await submitNamed(client, "alice", "long-log");
      await submitNamed(client, "alice", "fine");

      const grown = await peakRss(host.pid) - before;
      assert.ok(grown < 32 * MIB, `host peak RSS grew by ${(grown / MIB).toFixed(1)} MiB`);

      const logFile = `${host.scratch}/log/floods_stderr.log`;
      await until("the dropped lines are reported", async () => {
        await submitNamed(client, "alice", "long-log");
        return (await Deno.readTextFile(logFile)).includes("lines per second");
      });
      const lines = (await Deno.readTextFile(logFile)).split("\n");
      const longest = Math.max(...lines.map((line) => new TextEncoder().encode(line).length));
      assert.ok(longest < PLUGIN_LOG_MAX_LINE_BYTES + 1024, `a log line of ${longest} bytes`);
      assert.ok(lines.some((line) => /A{1000}… \[cut \d+ bytes\]/.test(line)), "stderr cut");
      assert.ok(lines.some((line) => /x{1000}… \[cut \d+ bytes\]/.test(line)), "ctx.log cut");
      assert.ok(lines.some((line) => line.includes("after the flood")));
      assert.ok(
        lines.some((line) =>
          /Plugin \\"floods_stderr\\" logged more than 200 lines per second: \d+ lines dropped/
            .test(line)
        ),
        "the drop is reported, naming the plugin",
      );
    });
  },
);
