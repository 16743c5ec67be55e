import assert from "node:assert/strict";
import { startupDetails } from "./_startup.ts";
import { runTask } from "./_launchbox.ts";
import { supervise } from "./_supervisor.ts";

/** Upstream's TypeScript runtime, installed from npm into .tools/ on first use. */
const PACKAGE = "apache-airflow-ts-sdk@0.1.0-beta1";
const HOME = new URL("../../.tools/airflow-ts-sdk/", import.meta.url).pathname;
const BUNDLE = `${HOME}bundle.mjs`;
const opts = { sanitizeOps: false, sanitizeResources: false };

const BUNDLE_SOURCE = `import { Dag, DagRegistry, serveDags } from "apache-airflow-ts-sdk";
const dag = new Dag("upstream_dag");
dag.task("greet", async ({ client }) => {
  const greeting = await client.getVariable("greeting");
  return { message: greeting + " from upstream" };
});
await serveDags(new DagRegistry(dag));
`;

async function succeeds(command: string, args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command(command, { args, stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

/** Installs the package when missing; returns why the test cannot run, if it cannot. */
async function prepare(): Promise<string | undefined> {
  if (!(await succeeds("node", ["--version"]))) return "node is not installed";
  const installed = await Deno.stat(`${HOME}node_modules/apache-airflow-ts-sdk/package.json`).then(
    () => true,
    () => false,
  );
  if (!installed) {
    await Deno.mkdir(HOME, { recursive: true });
    const args = ["install", "--prefix", HOME, "--no-save", "--no-audit", "--no-fund", PACKAGE];
    if (!(await succeeds("npm", args))) return `npm could not install ${PACKAGE}`;
  }
  await Deno.writeTextFile(BUNDLE, BUNDLE_SOURCE);
  return undefined;
}

const skip = await prepare();

Deno.test({
  name: `The test supervisor drives upstream's own TypeScript runtime without a violation${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  ...opts,
  async fn() {
    const result = await supervise({
      command: ["node", BUNDLE],
      startup: startupDetails({ dagId: "upstream_dag", taskId: "greet" }),
      store: { variables: { greeting: "hello" } },
      checkOwnership: true,
    });
    assert.deepEqual(result.violations, [], result.stderr);
    assert.deepEqual(result.requests.map((r) => r.type), ["GetVariable", "SetXCom", "SucceedTask"]);
    assert.deepEqual(result.requests[1]!.value, { message: "hello from upstream" });
    assert.equal(result.finalState, "success");
    assert.equal(result.exit.code, 0);
    assert.ok(result.logs.length > 0, "upstream sends log lines the supervisor accepts");
  },
});

Deno.test({
  name: `Upstream's runtime and Launchbox agree on an unknown task ending the run${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  ...opts,
  async fn() {
    const result = await supervise({
      command: ["node", BUNDLE],
      startup: startupDetails({ dagId: "upstream_dag", taskId: "missing" }),
    });
    assert.deepEqual(result.violations, []);
    assert.equal(result.terminal.length, 1);
    assert.equal(result.terminal[0]!.type, "TaskState");
    assert.equal(result.exit.code, 0);
    const ours = await runTask("upstream_dag", "missing");
    assert.deepEqual(
      [ours.terminal[0]!.type, ours.terminal[0]!.state, ours.finalState],
      [result.terminal[0]!.type, result.terminal[0]!.state, result.finalState],
    );
  },
});
