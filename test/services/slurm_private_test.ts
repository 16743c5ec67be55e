/**
 * scripts/slurm-up and slurm-down keep to the checkout's own Slurm: a system Slurm's
 * slurm.conf keeps its content and mtime, and every Slurm or munge daemon running before
 * (the system's, this checkout's, other checkouts') is still running after. One test starts
 * a second private cluster in a fresh 0700 directory (as a checkout in a private home
 * would have) and runs a job through it as lbtest_alice; one re-runs slurm-up on the
 * checkout's own running cluster, as `make test` does.
 */
import assert from "node:assert/strict";
import { ensureTestAccounts, TEST_USERS } from "../_support/system_users.ts";
import { systemProgram } from "../_support/system_programs.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SYSTEM_CONF = "/etc/slurm/slurm.conf";
const MINIMAL_PATH = "/usr/local/bin:/usr/bin:/bin";
const DAEMONS = ["slurmctld", "slurmd", "munged"];
const opts = { sanitizeOps: false, sanitizeResources: false };

const installed = ["/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged"]
  .every((path) => exists(path));
const skipFresh = Deno.uid() !== 0
  ? "slurm-up needs root"
  : !installed
  ? "Slurm is not installed (make services installs it)"
  : await ensureTestAccounts();
const skipRerun = skipFresh ??
  (exists(`${ROOT}.tools/slurm/slurm.conf`)
    ? undefined
    : "the checkout's private Slurm is not up (make services starts it)");
const named = (name: string, skip: string | undefined) =>
  skip ? `${name} (skipped: ${skip})` : name;

/**
 * What must not change: the system config's bytes and mtime, and the daemons' pids (from
 * ps: Deno reads /proc only with --allow-all).
 */
interface Untouched {
  conf: { text: string; mtime: number | undefined } | undefined;
  pids: number[];
}

async function snapshot(): Promise<Untouched> {
  let conf: Untouched["conf"];
  try {
    conf = {
      text: await Deno.readTextFile(SYSTEM_CONF),
      mtime: (await Deno.stat(SYSTEM_CONF)).mtime?.getTime(),
    };
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const ps = await new Deno.Command("ps", { args: ["-eo", "pid=,comm="] }).output();
  const pids = new TextDecoder().decode(ps.stdout).split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, comm]) => DAEMONS.includes(comm ?? ""))
    .map(([pid]) => Number(pid));
  return { conf, pids };
}

async function assertUntouched(before: Untouched): Promise<void> {
  const after = await snapshot();
  assert.deepEqual(after.conf, before.conf, `${SYSTEM_CONF} changed`);
  for (const pid of before.pids) assert.ok(after.pids.includes(pid), `daemon ${pid} was stopped`);
}

/** Runs a script of scripts/ with the minimal PATH (and `env`), bounded by its own deadline. */
async function script(name: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(`${ROOT}scripts/${name}`, {
    args,
    clearEnv: true,
    env: { PATH: MINIMAL_PATH, HOME: "/root", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(300_000),
  }).output();
  const text = new TextDecoder();
  const said = `${name} ${args.join(" ")}: exit ${out.code}\n${text.decode(out.stderr)}`;
  assert.equal(out.code, 0, said);
  return text.decode(out.stdout).trim();
}

Deno.test({
  name: named(
    "slurm-up starts a private cluster from a 0700 directory that runs a job as lbtest_alice, and slurm-down --purge removes it, leaving a system Slurm alone",
    skipFresh,
  ),
  ignore: skipFresh !== undefined,
  ...opts,
}, async () => {
  const before = await snapshot();
  const home = await Deno.makeTempDir({ prefix: "launchbox-slurm-test-" });
  assert.equal((await Deno.stat(home)).mode! & 0o777, 0o700);
  const env = { LAUNCHBOX_SLURM_HOME: `${home}/slurm` };
  const output = `/tmp/launchbox-slurm-test-${crypto.randomUUID()}.out`;
  try {
    const conf = await script("slurm-up", [], env);
    assert.match(conf, /^\/var\/tmp\/launchbox-slurm-[0-9a-f]{16}\/slurm\.conf$/);
    const shared = conf.replace(/\/slurm\.conf$/, "");
    const text = await Deno.readTextFile(conf);
    const ports = [...text.matchAll(/^Slurm(?:ctld|d)Port=(\d+)$/gm)].map((m) => Number(m[1]));
    assert.equal(ports.length, 2, text);
    assert.ok(!ports.includes(6817) && !ports.includes(6818), `ports ${ports}`);
    assert.match(text, new RegExp(`^AuthInfo=socket=${shared}/munge/munge\\.socket$`, "m"));
    const daemons = await Promise.all(
      ["slurmctld", "slurmd"].map((name) => Deno.readTextFile(`${home}/slurm/${name}.pid`)),
    );
    await assertUntouched(before);

    const job = await new Deno.Command(systemProgram("runuser"), {
      args: ["-u", TEST_USERS[0], "--", "/usr/bin/sbatch", "--wait", "--chdir=/tmp"]
        .concat([`--output=${output}`, "--wrap", "id -un; echo ran"]),
      env: { SLURM_CONF: conf },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(120_000),
    }).output();
    assert.equal(job.code, 0, new TextDecoder().decode(job.stderr));
    assert.equal(await Deno.readTextFile(output), `${TEST_USERS[0]}\nran\n`);

    // Idempotent: a second run keeps the same daemons.
    assert.equal(await script("slurm-up", [], env), conf);
    for (const [i, name] of ["slurmctld", "slurmd"].entries()) {
      assert.equal(await Deno.readTextFile(`${home}/slurm/${name}.pid`), daemons[i]);
    }
    await script("slurm-down", ["--purge"], env);
    assert.ok(!exists(shared), `${shared} is left`);
    assert.ok(!exists(`${home}/slurm`), `${home}/slurm is left`);
    const left = (await snapshot()).pids;
    for (const pid of daemons) assert.ok(!left.includes(Number(pid)), `pid ${pid} runs`);
    await assertUntouched(before);
  } finally {
    await script("slurm-down", ["--purge"], env).catch(() => {});
    await Deno.remove(home, { recursive: true }).catch(() => {});
    await Deno.remove(output).catch(() => {});
  }
});

Deno.test({
  name: named(
    "slurm-up on the checkout's running private cluster changes nothing and leaves a system Slurm alone",
    skipRerun,
  ),
  ignore: skipRerun !== undefined,
  ...opts,
}, async () => {
  const before = await snapshot();
  const conf = await script("slurm-up", []);
  assert.equal(conf, await Deno.realPath(`${ROOT}.tools/slurm/slurm.conf`));
  await assertUntouched(before);
});

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
