import assert from "node:assert/strict";
import { decodedOutput, LAUNCHBOX, runLaunchbox } from "../_support/host_process.ts";

import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";
import { systemProgram } from "../_support/system_programs.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("client demo drives a whole session and exits 0", opts, async () => {
  const { code, stdout } = await runLaunchbox(["client", "demo"]);
  assert.equal(code, 0);
  assert.match(stdout, /plugin speaks API 3\.6\.0/);
  assert.match(stdout, /status: job 1 Finished/);
  assert.match(stdout, /stdout: Line 1 from stdout/);
  assert.match(stdout, /job 2 "notebook" Finished, exit code 143/);
});

Deno.test(
  "client demo with a real plugin runs as the invoking user and stops its long-running job (Finished 143)",
  opts,
  async () => {
    const { code, stdout, stderr } = await runLaunchbox(["client", "demo", "--plugin-name=local"]);
    assert.equal(code, 0, stderr);
    const me = new TextDecoder().decode(
      (await new Deno.Command("id", { args: ["-un"] }).output()).stdout,
    )
      .trim();
    assert.match(stdout, new RegExp(`SubmitJob "hello" as ${me}\n`));
    assert.match(stdout, /job 1 "hello" Finished, exit code 0/);
    assert.match(stdout, /job 2 "notebook" Finished, exit code 143/);
  },
);

const skip = await ensureTestUsers();

Deno.test({
  name: `client commands share jobs through their scratch path${skip ? ` (skipped: ${skip})` : ""}`,
  ignore: skip !== undefined,
  ...opts,
}, async () => {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-client-" });
  const common = ["--plugin-name=local", `--scratch-path=${scratch}`, `--user=${TEST_USERS[0]}`];
  try {
    const submitted = await runLaunchbox([
      "client",
      "submit",
      "--command",
      "echo from local",
      "--wait",
      ...common,
    ]);
    assert.equal(submitted.code, 0, submitted.stderr);
    assert.match(
      submitted.stdout,
      /^job 1 (Running|Finished)\n[\s\S]*job 1 Finished \(Completed\)\n$/,
    );
    const jobs = await runLaunchbox(["client", "jobs", ...common]);
    assert.match(
      jobs.stdout,
      /^ID\s+STATUS\s+EXIT\s+SCHEDULER_ID\s+USER\s+NAME\n1\s+Finished\s+0\s+\d+\s+lbtest_alice\s+echo from local\n$/,
    );
    const output = await runLaunchbox(["client", "output", "1", ...common]);
    assert.equal(output.stdout, "from local\n");
    const control = await runLaunchbox(["client", "control", "1", "stop", ...common]);
    assert.equal(control.code, 1);
    assert.match(control.stderr, /Launcher error 8: Job must be running to stop it/);
  } finally {
    await runLaunchbox(["client", "host", "stop", ...common.slice(0, 2)]);
    await Deno.remove(scratch, { recursive: true });
  }
});

Deno.test({
  name: `the README's client commands work as an ordinary user with the defaults${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  ...opts,
}, async () => {
  const uid = (await runAs(["id", "-u"])).stdout.trim();
  const scratch = `/var/tmp/launchbox-${uid}/local`;
  const existed = await Deno.lstat(scratch).then(() => true, () => false);
  const launchbox = (...args: string[]) => runAs([LAUNCHBOX, "client", ...args]);
  try {
    const submitted = await launchbox(
      "submit",
      "--plugin-name",
      "local",
      "--command",
      "echo hello; sleep 1",
      "--wait",
    );
    assert.equal(submitted.code, 0, submitted.stderr);
    assert.match(submitted.stdout, /job \d+ Finished \(Completed\)\n$/);
    const jobs = await launchbox("jobs", "--plugin-name", "local");
    assert.match(
      jobs.stdout,
      new RegExp(`Finished\\s+0\\s+\\d+\\s+${TEST_USERS[0]}\\s+echo hello`),
    );
    const failed = await launchbox(
      "submit",
      "--plugin-name",
      "local",
      "--command",
      "exit 3",
      "--wait",
    );
    assert.equal(failed.code, 3, `submit --wait exits with the job's exit code\n${failed.stderr}`);
    const info = await Deno.lstat(scratch);
    assert.equal(info.uid, Number(uid));
    assert.equal(info.mode! & 0o777, 0o700);
  } finally {
    await launchbox("host", "stop", "--plugin-name", "local");
    if (!existed) await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
});

/**
 * The machine's TLS settings: the user's first run downloads the npm packages into their own
 * Deno cache, through whatever proxy and CA the machine uses.
 */
const TLS_ENV = ["DENO_TLS_CA_STORE", "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY"]
  .flatMap((name) => {
    const value = Deno.env.get(name);
    return value === undefined ? [] : [`${name}=${value}`];
  }).concat(certFile() ? [`DENO_CERT=${certFile()}`] : []);

function certFile(): string | undefined {
  return Deno.env.get("DENO_CERT") ?? Deno.env.get("SSL_CERT_FILE");
}

/** Runs a command as the first test user, with a minimal environment. */
async function runAs(command: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const path = "PATH=/usr/local/bin:/usr/bin:/bin";
  const output = await new Deno.Command(systemProgram("runuser"), {
    args: ["-u", TEST_USERS[0], "--", "env", "-i", path, ...TLS_ENV, ...command],
    stdin: "null",
    cwd: "/",
  }).output();
  return decodedOutput(output);
}

Deno.test("client refuses unknown commands and options with exit 2", opts, async () => {
  const unknown = await runLaunchbox(["client", "frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown client command "frobnicate"/);
  const badOption = await runLaunchbox(["client", "jobs", "--colour"]);
  assert.equal(badOption.code, 2);
  assert.match(badOption.stderr, /--colour/);
});
