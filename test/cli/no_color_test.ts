import assert from "node:assert/strict";
import { LAUNCHBOX } from "../_support/host_process.ts";

const ESCAPE = "\x1b[";
const EXIT = new URL("../../src/cli/exit.ts", import.meta.url).href;
const BUNDLES = new URL("../fixtures/bundles", import.meta.url).pathname;
/**
 * A command that needs an npm package (the YAML library, for the metadata), so Deno installs
 * the lockfile's packages first. `launchbox check` needs none any more: it loads no npm
 * package unless a manifest is outside the fast YAML parser's subset.
 */
const NEEDS_NPM = ["--airflow-metadata", `--plugins-dir=${BUNDLES}`];

/**
 * Runs `bin/launchbox --airflow-metadata` with an empty Deno cache and an npm registry that refuses
 * connections, so Deno itself prints its download lines and the failure (in colour, unless
 * told not to).
 */
async function launchboxDownloading(env: Record<string, string>) {
  const cache = await Deno.makeTempDir({ prefix: "launchbox-no-color-" });
  try {
    const output = await new Deno.Command(LAUNCHBOX, {
      args: NEEDS_NPM,
      stdin: "null",
      env: { DENO_DIR: cache, NPM_CONFIG_REGISTRY: "http://127.0.0.1:1/", ...env },
    }).output();
    const text = new TextDecoder();
    return { stdout: text.decode(output.stdout), stderr: text.decode(output.stderr) };
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
}

Deno.test("bin/launchbox prints no ANSI codes into pipes, Deno's own download lines included", async () => {
  const { stdout, stderr } = await launchboxDownloading({});
  assert.match(stderr, /Download http:\/\/127\.0\.0\.1:1\//, "Deno printed its download lines");
  assert.ok(!stderr.includes(ESCAPE), stderr);
  assert.ok(!stdout.includes(ESCAPE), stdout);
});

Deno.test("bin/launchbox prints no ANSI codes with NO_COLOR=1, even on a terminal", async (t) => {
  const script = await new Deno.Command("sh", { args: ["-c", "command -v script"] }).output();
  if (!script.success) {
    t.step({ name: "skipped: util-linux script(1) is not installed", ignore: true, fn: () => {} });
    return;
  }
  const cache = await Deno.makeTempDir({ prefix: "launchbox-no-color-" });
  try {
    const command = `${LAUNCHBOX} ${NEEDS_NPM.join(" ")}`;
    const output = await new Deno.Command("script", {
      args: ["-qec", command, "/dev/null"],
      stdin: "null",
      env: { DENO_DIR: cache, NPM_CONFIG_REGISTRY: "http://127.0.0.1:1/", NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(output.stdout);
    assert.match(text, /Download http:\/\/127\.0\.0\.1:1\//, "the terminal saw Deno's lines");
    assert.ok(!text.includes(ESCAPE), text);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("An uncaught error is reported as plain text when Deno would colour it", async () => {
  const program = `import { runMain } from "${EXIT}";
await runMain(async () => { setTimeout(() => { throw new RangeError("thrown in a timer"); }, 0);
  await new Promise((resolve) => setTimeout(resolve, 1000)); });`;
  const env = { ...Deno.env.toObject() };
  delete env.NO_COLOR;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", program],
    stdin: "null",
    env,
    clearEnv: true,
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 1);
  assert.match(stderr, /launchbox: error: thrown in a timer/);
  assert.ok(!stderr.includes(ESCAPE), stderr);
});
