/**
 * The hostile-plugin suite: copies `hostile/` into a temporary plugins directory with a
 * manifest for one isolation level, starts a real host on it, and runs every probe of
 * `hostile/probes.ts` as one user while another user keeps being served. Each level has
 * its own test file (so `deno test --parallel` runs the levels side by side) and shares
 * one host across its probes.
 */
import assert from "node:assert/strict";
import type { LauncherClient, Message } from "../../src/launcher/launcher_client.ts";
import { instanceDirFor, instanceKeyFor } from "../../src/sandbox/isolation.ts";
import { type HostProcess, withHost } from "../_support/host_process.ts";
import { userRequest } from "../_support/requests.ts";
import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";
import { type Level, type Probe, PROBES } from "./hostile/probes.ts";

const HOSTILE = new URL("./hostile/", import.meta.url).pathname;
const SDK = new URL("../../src/sdk/mod.ts", import.meta.url).href;
const LOCKFILE = new URL("../../deno.lock", import.meta.url).pathname;
const opts = { sanitizeOps: false, sanitizeResources: false };

/** The manifest lines that make a level. */
const LEVELS: Record<Level, string[]> = {
  none: ["isolation: none"],
  namespace: ["isolation: namespace"],
  session: ["isolation: session", "run_as: host"],
  "session-user": ["isolation: session", "run_as: session-user"],
};

/** Writes `plugins/hostile_<level>/` (the hostile plugin, its manifest) and returns the plugins dir. */
async function pluginsFor(level: Level): Promise<{ dir: string; name: string }> {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-hostile-" });
  const name = `hostile_${level.replace("-", "_")}`;
  const plugin = `${dir}/${name}`;
  await Deno.mkdir(plugin);
  const mod = await Deno.readTextFile(`${HOSTILE}mod.ts`);
  await Deno.writeTextFile(`${plugin}/mod.ts`, mod.replace("../../../src/sdk/mod.ts", SDK));
  await Deno.copyFile(`${HOSTILE}probes.ts`, `${plugin}/probes.ts`);
  await Deno.mkdir(`${plugin}/probes`);
  for await (const { name } of Deno.readDir(`${HOSTILE}probes`)) {
    await Deno.copyFile(`${HOSTILE}probes/${name}`, `${plugin}/probes/${name}`);
  }
  await Deno.writeTextFile(
    `${plugin}/plugin.yaml`,
    [
      `name: ${name}`,
      'version: "1.0.0"',
      "kind: launcher",
      "entry: mod.ts",
      "sdk: 1",
      ...LEVELS[level],
      "permissions:",
      '  read: ["${plugin_dir}", "${instance_dir}"]',
      '  write: ["${instance_dir}"]',
      '  run: ["/bin/sleep"]',
      '  env: ["LANG"]',
      "limits: { request_timeout_s: 5 }",
      "health: { interval_s: 2, timeout_s: 1 }",
      "",
    ].join("\n"),
  );
  for (const path of [dir, plugin, `${plugin}/probes`]) await Deno.chmod(path, 0o755);
  return { dir, name };
}

interface Run {
  host: HostProcess;
  client: LauncherClient;
  plugin: string;
  attacker: string;
  victim: string;
  level: Level;
  env: Record<string, string>;
}

function submit(run: Run, user: string, name: string): Promise<Message> {
  const environment = Object.entries(run.env).map(([name, value]) => ({ name, value }));
  return run.client.request(
    userRequest(run.client, 2, user, { job: { command: "x", name, environment } }),
  );
}

/** The user's instance answers a harmless job again (after a restart, if it had one). */
async function servesAgain(run: Run, user: string): Promise<Message> {
  const deadline = Date.now() + 20_000;
  let reply: Message | undefined;
  while (Date.now() < deadline) {
    reply = await submit(run, user, "harmless");
    if (reply.messageType === 2) return reply;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${user} was not served again within 20 s: ${JSON.stringify(reply)}`);
}

function instanceKey(run: Run, user: string): string {
  const isolation = run.level === "session-user" ? "session" : run.level;
  return instanceKeyFor(isolation, { user, tenant: user });
}

/** A probe's pattern with `<plugin>` and `<instance>` filled in for this run. */
function fill(run: Run, pattern: RegExp): RegExp {
  const instance = instanceKey(run, run.attacker).replaceAll("/", "\\/");
  return new RegExp(
    pattern.source.replaceAll("<plugin>", run.plugin).replaceAll("<instance>", instance)
      .replaceAll("<attacker>", run.attacker),
  );
}

/** Asserts the reply to a probe is what the probe table says. */
/** How a refusal a manifest could grant ends: the key to add (see `explainRefusal`). */
const MANIFEST_HINT =
  / \(add "[^"]+" to permissions\.(?:read|write|run|env|net|sys) in plugin\.yaml\)$/;

function checkReply(run: Run, probe: Probe, reply: Message): string | undefined {
  const text = JSON.stringify(reply);
  if (probe.answers) {
    assert.equal(reply.messageType, 2, `${probe.name} should have answered: ${text}`);
    const job = (reply.jobs as { statusMessage?: string }[])[0];
    assert.match(String(job?.statusMessage), fill(run, probe.answers), `${probe.name}: ${text}`);
    return job?.statusMessage;
  }
  assert.equal(reply.messageType, -1, `${probe.name} got through: ${text}`);
  const message = String(reply.errorMessage);
  if (probe.refused) {
    const refused = new RegExp(
      `^Plugin "${run.plugin}" is not permitted to (?:${probe.refused.source})`,
    );
    // What was refused, without the manifest key a grantable refusal ends with.
    assert.match(message.replace(MANIFEST_HINT, ""), refused, `${probe.name}: ${message}`);
  } else {
    const pattern = fill(run, (probe.replaced ?? probe.fails)!);
    assert.match(message, pattern, `${probe.name}: ${message}`);
  }
  return undefined;
}

/** The messages of the host's log lines about this run's plugin. */
function pluginLog(run: Run, stderr: string): string[] {
  const lines: string[] = [];
  for (const line of stderr.split("\n")) {
    try {
      const record = JSON.parse(line) as { plugin?: string; msg?: string };
      if (record.plugin === run.plugin && typeof record.msg === "string") lines.push(record.msg);
    } catch {
      // not a log line (Deno's own warnings)
    }
  }
  return lines;
}

/** Asserts that some directory above `path` is closed to users other than its owner. */
async function assertUnreachable(path: string): Promise<void> {
  const open: string[] = [];
  for (let dir = path; dir !== "/";) {
    dir = dir.slice(0, dir.lastIndexOf("/")) || "/";
    const mode = (await Deno.stat(dir)).mode! & 0o777;
    if ((mode & 0o001) === 0) return;
    open.push(`${dir} ${mode.toString(8)}`);
  }
  assert.fail(`${path} can be reached by every user: ${open.join(", ")}`);
}

/** The pid a probe answered, or wrote to its pid file. */
async function pidOf(run: Run, probe: Probe, answer: string | undefined): Promise<number> {
  if (!probe.pidFile) return Number(answer);
  const dir = instanceDirFor(`${run.host.scratch}/instances`, instanceKey(run, run.attacker));
  return Number(await Deno.readTextFile(`${dir}/${probe.pidFile}`));
}

/** Whether a process runs (a zombie waiting for init to reap it does not). */
async function pidAlive(pid: number): Promise<boolean> {
  const ps = await new Deno.Command("ps", { args: ["-o", "stat=", "-p", String(pid)] }).output();
  const state = new TextDecoder().decode(ps.stdout).trim();
  return state !== "" && !state.startsWith("Z");
}

/**
 * Registers the suite for one level: one test whose steps are the probes. At
 * `session-user` it needs root and the two test users, and is skipped with the reason
 * otherwise.
 */
export async function hostileSuite(level: Level): Promise<void> {
  const skip = level === "session-user" ? await ensureTestUsers() : undefined;
  const [attacker, victim] = level === "session-user" ? TEST_USERS : ["alice", "bob"];
  Deno.test({
    name:
      `Hostile plugin at ${level}: every probe is refused or contained and another user is served${
        skip ? ` (skipped: ${skip})` : ""
      }`,
    ignore: skip !== undefined,
    ...opts,
    async fn(t) {
      const plugins = await pluginsFor(level);
      try {
        await withHost(
          {
            pluginsDir: plugins.dir,
            pluginName: plugins.name,
            config: [],
            // restarts after the probes that cost one wait 100 ms, and an open breaker 6 s
            env: { LAUNCHBOX_TIME_SCALE: "0.1" },
          },
          async (host) => {
            const run: Run = {
              host,
              client: host.client,
              plugin: plugins.name,
              attacker,
              victim,
              level,
              env: {},
            };
            await runProbes(t, run);
          },
        );
      } finally {
        await Deno.remove(plugins.dir, { recursive: true });
      }
    },
  });
}

async function runProbes(t: Deno.TestContext, run: Run): Promise<void> {
  const { host, client } = run;
  await client.bootstrap();
  const victimJob = (await servesAgain(run, run.victim)).jobs as { id: string }[];
  // As an administrator's /var/lib/launchbox is: only the modes below it keep users apart.
  await Deno.chmod(host.scratch, 0o755);
  const secret = `${host.scratch}/secret.json`;
  await Deno.writeTextFile(secret, '{"secret": "the victim\'s"}');
  await Deno.chmod(secret, 0o644);
  run.env = {
    VICTIM_JOB: victimJob[0]!.id,
    VICTIM_USER: run.victim,
    VICTIM_DIR: instanceDirFor(`${host.scratch}/instances`, instanceKey(run, run.victim)),
    SCRATCH: host.scratch,
    SECRET_JSON: secret,
  };
  const lock = await Deno.readTextFile(LOCKFILE);
  const pids = new Map<number, Probe>();
  const ran: Probe[] = [];
  for (const probe of PROBES) {
    const why = probe.skip?.[run.level];
    await t.step({
      name: why ? `${probe.name} (skipped: ${why})` : probe.name,
      ignore: why !== undefined,
      fn: async () => {
        const answer = checkReply(run, probe, await submit(run, run.attacker, probe.name));
        ran.push(probe);
        if (probe.unreachable) await assertUnreachable(String(JSON.parse(answer!)));
        await servesAgain(run, run.victim);
        await servesAgain(run, run.attacker);
        if (probe.afterStop) pids.set(await pidOf(run, probe, answer), probe);
      },
    });
  }
  await t.step("the victim's job is untouched and stdout carried only frames", async () => {
    const reply = await client.request(
      userRequest(client, 3, run.victim, { jobId: run.env.VICTIM_JOB, encodedJobId: "" }),
    );
    // Stopped first, so a failure here does not leave the later steps waiting for the host.
    const stopped = await host.stop();
    const job = (reply.jobs as { status: string; statusMessage?: string }[])[0];
    const text = `the victim's job: ${JSON.stringify(reply)}`;
    if (run.level === "none" && job?.status === "Failed") {
      // One instance serves every user at none: when the probes' crashes open its breaker,
      // the host (not the plugin) fails every unfinished job naming the crash, by design.
      assert.match(
        String(job.statusMessage),
        /^Plugin "[^"]+" crashed.*circuit breaker is open$/,
        text,
      );
    } else assert.equal(job?.status, "Running", text);
    assert.equal(stopped.code, 0);
    assert.equal(client.readError, undefined);
  });
  await t.step("the plugin's imports left the project's lockfile alone", async () => {
    assert.equal(await Deno.readTextFile(LOCKFILE), lock);
  });
  await t.step("refused messages are logged with the plugin's name", async () => {
    const log = pluginLog(run, await host.stderr());
    for (const probe of ran.filter((p) => p.logs)) {
      const pattern = fill(run, probe.logs!);
      assert.ok(log.some((msg) => pattern.test(msg)), `${probe.name}: no log line ${pattern}`);
    }
  });
  await t.step(
    "children in the runner's process group die with it; detached ones do not",
    async () => {
      for (const [pid, probe] of pids) {
        const alive = await pidAlive(pid);
        if (alive) Deno.kill(pid, "SIGKILL");
        assert.equal(alive, probe.afterStop === "survives", `${probe.name}: pid ${pid}`);
      }
    },
  );
}
