/**
 * bin/ensure-deno, with no Deno 2.9 on PATH and an npm registry that cannot be reached:
 * it tries twice, then fails with a hint naming the registry, instead of hanging or
 * leaving make with an empty Deno path.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;
const MINIMAL_PATH = "/usr/local/bin:/usr/bin:/bin";

function onPath(name: string): boolean {
  return MINIMAL_PATH.split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/${name}`).isFile;
    } catch {
      return false;
    }
  });
}

const skip = !onPath("npm")
  ? "npm is not installed"
  : onPath("deno")
  ? "a deno is on the minimal PATH, which ensure-deno may use"
  : undefined;

Deno.test({
  name: `ensure-deno retries and names the registry when npm cannot reach it${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  async fn() {
    const checkout = await Deno.makeTempDir({ prefix: "launchbox-ensure-deno-" });
    try {
      await Deno.mkdir(`${checkout}/bin`);
      await Deno.copyFile(`${ROOT}bin/ensure-deno`, `${checkout}/bin/ensure-deno`);
      await Deno.chmod(`${checkout}/bin/ensure-deno`, 0o755);
      const registry = "http://127.0.0.1:9/"; // discard: nothing listens there
      const out = await new Deno.Command(`${checkout}/bin/ensure-deno`, {
        cwd: "/",
        clearEnv: true,
        env: {
          PATH: MINIMAL_PATH,
          HOME: checkout,
          npm_config_cache: `${checkout}/npm-cache`,
          npm_config_registry: registry,
          npm_config_fetch_retries: "0",
        },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(120_000),
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 1, stderr);
      assert.equal(new TextDecoder().decode(out.stdout), "", "no Deno path on stdout");
      assert.match(stderr, /npm install failed \(attempt 1 of 2\); retrying in 5 s/);
      assert.match(
        stderr,
        /ensure-deno: could not install deno 2\.9\.6 with npm from http:\/\/127\.0\.0\.1:9\/ \(2 attempts\); check the network/,
      );
    } finally {
      await Deno.remove(checkout, { recursive: true });
    }
  },
});
