import assert from "node:assert/strict";
import { runnerCommand } from "./runner_command.ts";

const HOST_SECRETS = {
  PGPASSWORD: "store password",
  PGPASSFILE: "/root/.pgpass",
  LAUNCHBOX_JOB_STORE_URL: "postgres://lb:secret@db/lb",
  DENO_AUTH_TOKENS: "token@registry.example",
};

Deno.test("runnerCommand gives a runner a minimal environment, never the host's PG*, LAUNCHBOX_* or DENO_AUTH_TOKENS", () => {
  for (const [name, value] of Object.entries(HOST_SECRETS)) Deno.env.set(name, value);
  try {
    // passEnv comes from a checked manifest; a stale or forged list must not leak either.
    const { env } = runnerCommand(
      { instanceDir: "/tmp", passEnv: ["LANG", ...Object.keys(HOST_SECRETS)] },
      () => false,
    );
    for (const name of Object.keys(HOST_SECRETS)) assert.equal(env[name], undefined, name);
    const allowed = ["PATH", "NO_COLOR", "MALLOC_ARENA_MAX", "LANG", "HOME", "DENO_DIR"];
    assert.deepEqual(Object.keys(env).filter((name) => !allowed.includes(name)), []);
  } finally {
    for (const name of Object.keys(HOST_SECRETS)) Deno.env.delete(name);
  }
});
