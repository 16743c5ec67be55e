/**
 * Hostile plugins for the sandbox-integrity tests: a fixture folder copied into a fresh
 * plugins directory at one isolation level, with the links, files and manifest entries
 * the probe needs made at test time (links to `/` or `/etc/shadow` are never committed:
 * tools walking the checkout would follow them).
 */
import assert from "node:assert/strict";
import { submit } from "../_support/requests.ts";
import { ensureTestUsers } from "../_support/system_users.ts";
import { type HostProcess, withHost } from "../_support/host_process.ts";

const FIXTURES = new URL("./fixtures", import.meta.url).pathname;
const SDK = new URL("../../src/sdk/mod.ts", import.meta.url).href;
const RELATIVE_SDK = "../../../../src/sdk/mod.ts";

/** An isolation level as the issue's review ran them. */
export interface Level {
  label: string;
  isolation: "none" | "namespace" | "session";
  runAs: "host" | "session-user";
}

export const LEVELS: Level[] = [
  { label: "none", isolation: "none", runAs: "host" },
  { label: "namespace", isolation: "namespace", runAs: "host" },
  { label: "session/host", isolation: "session", runAs: "host" },
  { label: "session/session-user", isolation: "session", runAs: "session-user" },
];

/** Why a level cannot run here (session-user needs root and the lbtest users), or `undefined`. */
export async function levelSkip(level: Level): Promise<string | undefined> {
  return level.runAs === "session-user" ? await ensureTestUsers() : undefined;
}

/** What to make in the copied plugin folder. */
export interface Probe {
  /** Links to create, relative to the plugin folder: `{ "lib/secret": "/etc/shadow" }`. */
  links?: Record<string, string>;
  /** Files to create, relative to the plugin folder (mode 0755). */
  files?: Record<string, string>;
  /** Text replacements in plugin.yaml (`"@RUN@": "/usr/bin/env"`). */
  manifest?: Record<string, string>;
}

/**
 * Copies `test/escape/fixtures/<fixture>` to `<root>/<name>/`, renamed `name`, at `level`.
 * `root` is made readable to every user so session-user runners can load the plugin.
 */
export async function installPlugin(
  root: string,
  fixture: string,
  options: { name: string; level: Level; probe?: Probe },
): Promise<string> {
  const dir = `${root}/${options.name}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.chmod(root, 0o755);
  await Deno.chmod(dir, 0o755);
  let yaml = await Deno.readTextFile(`${FIXTURES}/${fixture}/plugin.yaml`);
  yaml = yaml.replace(/^name: .*$/m, `name: ${options.name}`)
    .replace(/^isolation: .*$/m, `isolation: ${options.level.isolation}`)
    .replace(/^run_as: .*$/m, `run_as: ${options.level.runAs}`);
  for (const [from, to] of Object.entries(options.probe?.manifest ?? {})) {
    yaml = yaml.replaceAll(from, to);
  }
  await Deno.writeTextFile(`${dir}/plugin.yaml`, yaml);
  const mod = await Deno.readTextFile(`${FIXTURES}/${fixture}/mod.ts`);
  await Deno.writeTextFile(`${dir}/mod.ts`, mod.replace(RELATIVE_SDK, SDK));
  for (const [path, text] of Object.entries(options.probe?.files ?? {})) {
    await Deno.mkdir(`${dir}/${path}`.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.writeTextFile(`${dir}/${path}`, text, { mode: 0o755 });
  }
  for (const [path, target] of Object.entries(options.probe?.links ?? {})) {
    await Deno.mkdir(`${dir}/${path}`.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.symlink(target, `${dir}/${path}`);
  }
  return dir;
}

/** A fresh plugins directory, removed by the returned disposer. */
export async function pluginsRoot(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "launchbox-escape-" }));
  return {
    dir,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }).catch(() => {}),
  };
}

/**
 * How a host started with a hostile plugin ended up: `"served"` when it answered the
 * Launcher's bootstrap, else its exit status and stderr.
 */
export async function startOutcome(
  host: HostProcess,
): Promise<{ served: true } | { served: false; code: number; stderr: string }> {
  try {
    await host.client.bootstrap();
    return { served: true };
  } catch {
    const status = await host.status();
    return { served: false, code: status.code, stderr: await host.stderr() };
  }
}

/**
 * Asserts the host refused to start plugin `name` (exit 2, the plugin named as skipped,
 * `message` in its stderr); a host that served it instead fails with what the job got.
 */
export async function assertRefusedAtStart(
  host: HostProcess,
  name: string,
  message: RegExp,
): Promise<void> {
  const outcome = await startOutcome(host);
  if (outcome.served) {
    const job = await submit(host.client, "lbtest_alice", { name: "escape" });
    assert.fail(`The host served ${name}: ${JSON.stringify(job.statusMessage)}`);
  }
  assert.equal(outcome.code, 2);
  assert.match(outcome.stderr, new RegExp(`plugin "${name}" \\(--plugin-name\\) was skipped: `));
  assert.match(outcome.stderr, message);
}

/** A plugin the host must refuse to start: [name, probe, plugin config, the refusal]. */
export type RefusedCase = [string, Probe, string[], RegExp];

/**
 * Registers one test per case and level: a real host started on `fixture` changed by the
 * case's probe refuses to start it (see {@linkcode assertRefusedAtStart}). `naming` ends
 * each test's name ("the program"); `levelsOf` picks the levels of each case (all four
 * unless told).
 */
export async function testRefusedAtStart(
  fixture: string,
  naming: string,
  cases: RefusedCase[],
  levelsOf: (index: number) => Level[] = () => LEVELS,
): Promise<void> {
  for (const [index, [name, probe, config, message]] of cases.entries()) {
    for (const level of levelsOf(index)) {
      const skip = await levelSkip(level);
      Deno.test({
        name: `Host refuses ${name} at ${level.label}, naming the plugin and ${naming}${
          skip ? ` (skipped: ${skip})` : ""
        }`,
        ignore: skip !== undefined,
        sanitizeOps: false,
        sanitizeResources: false,
        async fn() {
          await using root = await pluginsRoot();
          await installPlugin(root.dir, fixture, { name, level, probe });
          await withHost({ pluginsDir: root.dir, pluginName: name, config }, async (host) => {
            await assertRefusedAtStart(host, name, message);
          });
        },
      });
    }
  }
}
