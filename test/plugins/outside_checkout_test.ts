import assert from "node:assert/strict";
import { withHost } from "../_support/host_process.ts";
import { userRequest } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const ROOT = new URL("../../", import.meta.url).pathname;

const MANIFEST = `name: elsewhere
version: "1.0.0"
kind: launcher
entry: mod.ts
sdk: 1
isolation: none
run_as: host
permissions:
  read: ["\${plugin_dir}", "\${instance_dir}"]
  write: ["\${instance_dir}"]
`;

/** A plugin folder in a temporary directory far from the checkout, importing the SDK by `sdk`. */
async function pluginOutside(sdk: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-outside-" });
  assert.ok(!dir.startsWith(ROOT), "the plugin must live outside the checkout");
  await Deno.mkdir(`${dir}/elsewhere`);
  await Deno.writeTextFile(`${dir}/elsewhere/plugin.yaml`, MANIFEST);
  await Deno.writeTextFile(
    `${dir}/elsewhere/mod.ts`,
    `import { definePlugin, SDK_MAJOR } from "${sdk}";
export default definePlugin(() => ({
  async submitJob() {
    return { status: "Finished", exitCode: 0, statusMessage: \`SDK \${SDK_MAJOR}\` };
  },
  async controlJob() {
    return { statusMessage: "done", operationComplete: true };
  },
  async *jobOutput() {},
  async clusterInfo() {
    return { queues: ["default"] };
  },
}));
`,
  );
  return dir;
}

/** The host's answer to one submit through a plugin outside the checkout importing `sdk`. */
async function submitOutside(sdk: string): Promise<Record<string, unknown>> {
  const dir = await pluginOutside(sdk);
  let reply: Record<string, unknown> = {};
  try {
    await withHost(
      { pluginsDir: dir, pluginName: "elsewhere", config: [] },
      async ({ client }) => {
        await client.bootstrap();
        reply = await client.request(
          userRequest(client, 2, "alice", { job: { command: "echo hi", name: "outside" } }),
        );
      },
    );
    return reply;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test(
  'A plugin outside the checkout imports the SDK as "@launchbox/sdk" and runs a job',
  opts,
  async () => {
    const reply = await submitOutside("@launchbox/sdk");
    assert.equal(reply.messageType, 2, JSON.stringify(reply));
    const job = (reply.jobs as Record<string, unknown>[])[0]!;
    assert.equal(job.status, "Finished");
    assert.equal(job.statusMessage, "SDK 1");
  },
);

Deno.test(
  "A plugin outside the checkout importing the SDK by a checkout path is told to fix the import",
  opts,
  async () => {
    const reply = await submitOutside("../../src/sdk/mod.ts");
    assert.equal(reply.messageType, -1, JSON.stringify(reply));
    const message = String(reply.errorMessage);
    assert.match(
      message,
      /elsewhere\/mod\.ts:1: cannot import ".*\/src\/sdk\/mod\.ts": .*"@launchbox\/sdk".*\(fix the import\)/,
    );
    assert.doesNotMatch(message, /not permitted/);
  },
);
