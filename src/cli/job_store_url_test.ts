import assert from "node:assert/strict";
import { parseJobStoreUrl } from "./job_store_url.ts";
import { readLauncherOptions } from "./launcher_options.ts";
import { UsageError } from "./usage_error.ts";

function refused(text: string, origin = "--job-store-url"): string {
  try {
    parseJobStoreUrl(text, origin);
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
    return error.message;
  }
  assert.fail(`"${text}" was accepted`);
}

Deno.test("parseJobStoreUrl takes postgres URLs, and empty as the embedded SQLite store", () => {
  assert.equal(parseJobStoreUrl("", "--job-store-url"), undefined);
  assert.equal(parseJobStoreUrl("  ", "--job-store-url"), undefined);
  for (const url of ["postgres://lb@db.example:5432/jobs", "postgresql://", "postgres:///jobs"]) {
    assert.equal(parseJobStoreUrl(url, "--job-store-url"), url);
  }
});

Deno.test("parseJobStoreUrl refuses other schemes and bad ports without showing a password", () => {
  assert.equal(
    refused("mysql://root:hunter2@db/jobs"),
    `Option --job-store-url must be a postgres:// or postgresql:// URL, got scheme "mysql:"`,
  );
  assert.equal(
    refused("jobs.sqlite"),
    `Option --job-store-url must be a postgres:// URL, got "jobs.sqlite" (it does not parse)`,
  );
  assert.match(refused("postgres://u:hunter2@db:99999/x"), /port|does not parse/);
  assert.doesNotMatch(refused("postgres://u:hunter2@db:99999/x"), /hunter2/);
  assert.match(
    refused("http://x", "job-store-url= in /etc/l.conf"),
    /^Option job-store-url= in \/etc\/l\.conf/,
  );
});

Deno.test("readLauncherOptions reads job-store-url from the command line and the config file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-store-url-" });
  try {
    const conf = `${dir}/launcher.conf`;
    await Deno.writeTextFile(conf, "job-store-url=postgres://lb@db/jobs\n");
    const cli = ["--job-store-url=postgres://other@db/x"];
    assert.equal(
      readLauncherOptions([...cli, `--config-file=${conf}`]).jobStoreUrl,
      "postgres://lb@db/jobs",
    );
    await Deno.writeTextFile(conf, "job-store-url=sqlite:/tmp/x\n");
    assert.throws(
      () => readLauncherOptions([`--config-file=${conf}`]),
      new RegExp(`^UsageError: Option job-store-url= in ${conf} must be a postgres://`),
    );
    await Deno.writeTextFile(conf, "\n");
    assert.equal(
      readLauncherOptions(cli.concat(`--config-file=${conf}`)).jobStoreUrl,
      "postgres://other@db/x",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
