import type { LauncherClient, Message } from "../../launcher/launcher_client.ts";
import { runClusterDemo } from "./cluster_demo.ts";
import { invokingUser } from "./host_options.ts";
import { expectReply, startClientHost } from "./plugin_host.ts";
import { reply, say, step, versionText } from "./narration.ts";
import { LAUNCHER_OPTIONS } from "../option_table.ts";
import { parseOptions } from "../parse_options.ts";
import { UsageError } from "../usage_error.ts";

const DEMO_OPTIONS = {
  "plugins-dir": LAUNCHER_OPTIONS["plugins-dir"]!,
  "plugin-name": { kind: "string", fallback: "inmemory" },
  "user": { kind: "string", fallback: "" },
  "nodes": { kind: "int", fallback: "1" },
  "job-store-url": { kind: "string", fallback: "" },
} as const;

/** The cluster demo's nodes submit, watch and stop: three at least. */
const MAX_NODES = 9;

/**
 * Starts a plugin host as the Launcher would and drives a short session, printing each
 * step: bootstrap, cluster info, a job's status and output streams, a listing and a stop.
 */
export async function runDemo(args: string[]): Promise<number> {
  const options = parseOptions(args, DEMO_OPTIONS);
  const plugin = options.get("plugin-name") ?? "inmemory";
  const user = options.get("user") ?? demoUser(plugin);
  const nodes = nodeCount(options.get("nodes") ?? "1");
  if (nodes > 1) {
    return await runClusterDemo({
      nodes,
      plugin,
      user,
      jobStoreUrl: options.get("job-store-url") || undefined,
      pluginsDir: options.get("plugins-dir"),
    });
  }
  if (options.has("job-store-url")) {
    throw new UsageError("Option --job-store-url is for the cluster demo (with --nodes 3)");
  }
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-demo-" });
  await Deno.writeTextFile(
    `${scratch}/launcher.${plugin}.conf`,
    "pending-ms=300\nrun-ms=1800\ntick-ms=400\n",
  );
  const hostArgs = [
    `--plugin-name=${plugin}`,
    `--scratch-path=${scratch}`,
    `--logging-dir=${scratch}`,
    `--config-file=${scratch}/launcher.${plugin}.conf`,
    ...(options.has("plugins-dir") ? [`--plugins-dir=${options.get("plugins-dir")}`] : []),
  ];
  say(`Launchbox demo: a Launcher session with the "${plugin}" plugin\n`);
  {
    await using host = await startClientHost(hostArgs, user);
    await drive(host.client, user);
  }
  say(`\nThe host exited cleanly. Its log and job store are in ${scratch}\n`);
  return 0;
}

async function drive(client: LauncherClient, user: string): Promise<void> {
  step("Bootstrap, API 3.6.0");
  reply(`plugin speaks API ${versionText(client.received[0]?.version)}`);

  step(`GetClusterInfo as ${user}`);
  const info = expectReply(await client.request(request(client, 9, user)), 8);
  reply(
    `queues ${list(info.queues)} (default ${info.defaultQueue ?? "none"}); limits ${limits(info)}`,
  );

  step(`SubmitJob "hello" as ${user}`);
  const job = await submitJob(client, user, {
    name: "hello",
    command: "echo hello",
    tags: ["demo"],
  });
  reply(`job ${job.id} is ${job.status}, submitted at ${job.submissionTime}`);

  step(`GetJobStatus ${job.id} and GetJobOutput ${job.id} (streams)`);
  await watch(client, user, String(job.id));

  step(`SubmitJob "notebook" tagged long-running, then ControlJob stop`);
  const session = await submitJob(client, user, {
    name: "notebook",
    command: "sleep 600", // inmemory keeps it running by its tag; real plugins run it
    tags: ["long-running"],
  });
  await waitForStatus(client, user, String(session.id), "Running");
  const stop = await client.request(
    request(client, 5, user, { jobId: session.id, encodedJobId: "", operation: 2 }),
  );
  reply(String(stop.statusMessage ?? stop.errorMessage));
  await waitForStatus(client, user, String(session.id), "Finished");

  step(`GetJob * as ${user}`);
  const listing = await client.request(request(client, 3, user, { jobId: "*", encodedJobId: "" }));
  for (const j of listing.jobs as Message[]) {
    reply(`job ${j.id} "${j.name}" ${j.status}, exit code ${j.exitCode ?? "-"}`);
  }
}

async function watch(client: LauncherClient, user: string, jobId: string): Promise<void> {
  const statusRequest = request(client, 4, user, { jobId, encodedJobId: "" });
  const statuses = (async () => {
    for await (const message of client.openStream(statusRequest)) {
      reply(
        `status: job ${message.id} ${message.status}${
          message.statusMessage ? ` (${message.statusMessage})` : ""
        }`,
      );
      if (["Finished", "Failed", "Killed", "Canceled"].includes(String(message.status))) return;
    }
  })();
  const output = request(client, 6, user, { jobId, encodedJobId: "", outputType: 2 });
  for await (const message of client.openStream(output)) {
    if (message.complete) reply("output complete");
    else if (message.output) reply(`${message.outputType}: ${String(message.output).trimEnd()}`);
  }
  await statuses;
  client.cancelStream(statusRequest);
}

async function submitJob(
  client: LauncherClient,
  user: string,
  job: Record<string, unknown>,
): Promise<Message> {
  const answer = await client.request(request(client, 2, user, { job }));
  if (answer.messageType !== 2) throw new Error(`Submit failed: ${answer.errorMessage}`);
  return (answer.jobs as Message[])[0]!;
}

async function waitForStatus(
  client: LauncherClient,
  user: string,
  jobId: string,
  status: string,
): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const answer = await client.request(request(client, 3, user, { jobId, encodedJobId: "" }));
    if ((answer.jobs as Message[] | undefined)?.[0]?.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Job ${jobId} did not reach ${status}`);
}

function request(
  client: LauncherClient,
  messageType: number,
  user: string,
  extra: Record<string, unknown> = {},
) {
  return client.userRequest(messageType, user, extra);
}

function nodeCount(text: string): number {
  const nodes = Number(text);
  if (!/^\d+$/.test(text.trim()) || (nodes !== 1 && (nodes < 3 || nodes > MAX_NODES))) {
    throw new UsageError(
      `Option --nodes must be 1 (one host) or 3-${MAX_NODES} (a cluster), got "${text}"`,
    );
  }
  return nodes;
}

/**
 * The simulator's jobs need no account, so its demo plays "alice"; any other plugin may
 * run real processes as the job's user, so the demo submits as the invoking user.
 */
function demoUser(plugin: string): string {
  return plugin === "inmemory" ? "alice" : invokingUser();
}

function list(value: unknown): string {
  return Array.isArray(value) && value.length > 0 ? value.join(", ") : "none";
}

function limits(info: Message): string {
  const entries = (info.resourceLimits as { type: string; maxValue?: string }[] | undefined) ?? [];
  return entries.map((l) => `${l.type} ≤ ${l.maxValue ?? "?"}`).join(", ") || "none";
}
