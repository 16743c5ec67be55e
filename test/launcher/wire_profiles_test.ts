import assert from "node:assert/strict";
import { runLaunchbox, withHost } from "../_support/host_process.ts";
import { jobRequest, submit, userRequest } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const PROFILES = "[*]\nmax-cpus=2\nmax-mem-mb=2048\ndefault-mem-mb=512\n\n[alice]\nmax-cpus=16\n";

/**
 * Runs `body` with a scratch directory whose launcher.inmemory.profiles.conf holds `text`,
 * then removes the directory.
 */
async function withProfiles(
  text: string,
  body: (paths: { scratch: string; file: string }) => Promise<void>,
): Promise<void> {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-profiles-" });
  const file = `${scratch}/launcher.inmemory.profiles.conf`;
  try {
    await Deno.writeTextFile(file, text);
    await body({ scratch, file });
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}

Deno.test(
  "User profiles bound ClusterInfo, refuse a submit above the maximum and fill in defaults",
  opts,
  async () => {
    await withProfiles(PROFILES, async ({ scratch, file }) => {
      await withHost({ scratch }, async ({ client }) => {
        await client.bootstrap();
        const limits = async (user: string) =>
          (await client.request(userRequest(client, 9, user))).resourceLimits;
        assert.deepEqual(await limits("bob"), [
          { type: "cpuCount", defaultValue: "1", maxValue: "2" },
          { type: "memory", defaultValue: "512", maxValue: "2048" },
        ]);
        assert.deepEqual((await limits("alice") as unknown[])[0], {
          type: "cpuCount",
          defaultValue: "1",
          maxValue: "16",
        });
        const refused = await client.request(userRequest(client, 2, "bob", {
          job: {
            command: "echo hi",
            name: "big",
            resourceLimits: [{ type: "cpuCount", value: "4" }],
          },
        }));
        assert.equal(refused.messageType, -1);
        assert.equal(refused.errorCode, 2);
        assert.equal(
          refused.errorMessage,
          `Job asks for cpuCount 4; user bob may use at most 2 (${file} [*])`,
        );
        const job = await submit(client, "bob", {
          resourceLimits: [{ type: "cpuCount", value: "2" }],
        });
        const stored = await client.request(jobRequest(client, 3, "bob", String(job.id)));
        assert.deepEqual((stored.jobs as { resourceLimits: unknown }[])[0]!.resourceLimits, [
          { type: "cpuCount", value: "2" },
          { type: "memory", value: "512" },
        ]);
      });
    });
  },
);

Deno.test(
  "ConfigReload re-reads the user profiles; a broken file is refused and the last good one stays",
  opts,
  async () => {
    await withProfiles(PROFILES, async ({ scratch, file }) => {
      await withHost({ scratch }, async ({ client }) => {
        await client.bootstrap();
        const reload = () => client.request(userRequest(client, 202, "*"));
        const maxCpus = async () =>
          ((await client.request(userRequest(client, 9, "bob"))).resourceLimits as {
            maxValue: string;
          }[])[0]!.maxValue;
        await Deno.writeTextFile(file, PROFILES.replace("max-cpus=2", "max-cpus=6"));
        assert.deepEqual(await reload(), {
          messageType: 202,
          requestId: 1,
          responseId: 1,
          errorType: 0,
          errorMessage: "",
        });
        assert.equal(await maxCpus(), "6");
        await Deno.writeTextFile(file, "[*]\nmax-cpus=plenty\n");
        const refused = await reload();
        assert.equal(refused.errorType, 1, "a load error");
        assert.equal(
          refused.errorMessage,
          `${file} line 2: max-cpus must be a positive number, got "plenty"`,
        );
        assert.equal(await maxCpus(), "6", "the last good profiles stay");
      });
    });
  },
);

Deno.test("A broken profiles file stops the start, naming its line", opts, async () => {
  await withProfiles("[*]\nmax-gpus=1\n", async ({ scratch, file }) => {
    await Deno.writeTextFile(`${scratch}/launcher.inmemory.conf`, "");
    const { code, stderr } = await runLaunchbox([
      "--plugin-name=inmemory",
      `--scratch-path=${scratch}`,
      `--config-file=${scratch}/launcher.inmemory.conf`,
    ]);
    assert.equal(code, 2, "a usage error");
    assert.ok(stderr.includes(`${file} line 2: unknown key "max-gpus"`), stderr);
  });
});
