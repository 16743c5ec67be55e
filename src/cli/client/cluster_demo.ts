import { LauncherClient, type Message } from "../../launcher/launcher_client.ts";
import { reply, say, step, versionText } from "./narration.ts";
import { DEMO_CLUSTER_TIMEOUT_MS, HOST_STOP_TIMEOUT_MS } from "./constants.ts";
import { type DemoStore, demoStore } from "./demo_store.ts";
import { expectReply, lastLines, spawnPluginHost } from "./plugin_host.ts";

const TERMINAL = ["Finished", "Failed", "Killed", "Canceled"];

/** What {@linkcode runClusterDemo} needs from the command line. */
export interface ClusterDemoOptions {
  nodes: number;
  plugin: string;
  user: string;
  /** `--job-store-url`; absent: the checkout's private PostgreSQL (scripts/postgres-up). */
  jobStoreUrl: string | undefined;
  pluginsDir: string | undefined;
}

/**
 * `launchbox client demo --nodes 3`: three hosts on one PostgreSQL job store, as three
 * load-balanced Launcher nodes would run. A job is submitted through node 1, its status
 * stream followed on node 2, stopped from node 3, and every node's GetJob answer shown.
 */
export async function runClusterDemo(options: ClusterDemoOptions): Promise<number> {
  say(`Launchbox cluster demo: ${options.nodes} hosts of "${options.plugin}" on one job store\n`);
  step("The job store");
  const store = await demoStore(options.jobStoreUrl);
  reply(`PostgreSQL ${store.shown}, schema ${store.schema} (dropped at the end)`);
  reply(
    `each node's launcher.${options.plugin}.conf: job-store-url=${store.url}, node-id=node-N` +
      (store.env.PGPASSWORD ? "; the password in PGPASSWORD" : ""),
  );
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-demo-cluster-" });
  const signal = AbortSignal.timeout(DEMO_CLUSTER_TIMEOUT_MS);
  const nodes: DemoNode[] = [];
  try {
    try {
      await bounded(signal, async () => {
        step(`Starting ${options.nodes} hosts, one per Launcher node, in ${scratch}`);
        for (let i = 1; i <= options.nodes; i++) {
          nodes.push(await startNode(`node-${i}`, { ...options, scratch, store }));
        }
        await drive(nodes, options.user);
      });
    } finally {
      if (nodes.length > 0) {
        step(`Stopping the ${nodes.length} hosts (stdin closed, as the Launcher does)`);
        const stopped = await Promise.all(nodes.map((node) => node.stop()));
        stopped.forEach((how, i) => reply(`${nodes[i]!.name}: ${how}`));
      }
    }
  } finally {
    // The first host creates the schema, even one that then fails to start; when none
    // started, a failed drop is only the store being unreachable, and not worth a line.
    await dropSchema(store, nodes.length > 0);
  }
  say(`\nEach node's log is in ${scratch}/<node>/\n`);
  return 0;
}

async function dropSchema(store: DemoStore, started: boolean): Promise<void> {
  await store.drop().then(
    () => {
      if (started) reply(`schema ${store.schema} dropped`);
    },
    (error) => {
      if (started) reply(`schema ${store.schema} not dropped: ${(error as Error).message}`);
    },
  );
}

async function drive(nodes: DemoNode[], user: string): Promise<void> {
  const [first, second, third] = nodes as [DemoNode, DemoNode, DemoNode];
  step(`SubmitJob "notebook" tagged long-running as ${user}, through ${first.name}`);
  const submitted = expectReply(
    await first.ask(2, user, {
      job: { name: "notebook", command: "sleep 600", tags: ["long-running"] },
    }),
    2,
  );
  const job = (submitted.jobs as Message[])[0]!;
  const id = String(job.id);
  reply(`${first.name}: job ${id} is ${job.status}`);

  step(`GetJobStatus ${id} (a stream) through ${second.name}`);
  const stream = followStatus(second, user, id);
  await stream.reached("Running");

  step(`GetJob ${id} through every node`);
  await compareAnswers(nodes, user, id);

  step(
    `ControlJob stop ${id} through ${third.name} (for a node-local plugin, ` +
      `forwarded to ${first.name}, which runs the job)`,
  );
  const stop = expectReply(
    await third.ask(5, user, { jobId: id, encodedJobId: "", operation: 2 }),
    4,
  );
  reply(`${third.name}: ${stop.statusMessage || "stopped"} (complete: ${stop.operationComplete})`);
  const last = await stream.ended;
  reply(`${second.name}'s stream ended at ${last}`);

  step(`GetJob ${id} through every node`);
  await compareAnswers(nodes, user, id);
}

/** Prints each status a stream delivers; `reached` resolves at a status, `ended` at the last. */
function followStatus(node: DemoNode, user: string, id: string) {
  const request = node.client.userRequest(4, user, { jobId: id, encodedJobId: "" });
  const waiting = new Map<string, () => void>();
  const ended = (async () => {
    for await (const message of node.client.openStream(request)) {
      const status = String(message.status);
      const why = message.statusMessage ? ` (${message.statusMessage})` : "";
      reply(`${node.name} stream: job ${message.id} ${status}${why}`);
      waiting.get(status)?.();
      if (TERMINAL.includes(status)) {
        node.client.cancelStream(request);
        return status;
      }
    }
    throw new Error(`The status stream on ${node.name} ended before job ${id} did`);
  })();
  // Awaited by the caller; marked handled so an earlier failure is the one reported.
  ended.catch(() => {});
  return {
    ended,
    reached: (status: string) =>
      Promise.race([new Promise<void>((resolve) => waiting.set(status, resolve)), ended]),
  };
}

/** GetJob through every node: one line each, and whether the answers are the same. */
async function compareAnswers(nodes: DemoNode[], user: string, id: string): Promise<void> {
  const answers = await Promise.all(nodes.map(async (node) => {
    const answer = expectReply(await node.ask(3, user, { jobId: id, encodedJobId: "" }), 2);
    return (answer.jobs as Message[])[0];
  }));
  answers.forEach((job, i) => {
    const text = job
      ? `job ${job.id} "${job.name}" ${job.status}, exit code ${job.exitCode ?? "-"}, ` +
        `last update ${job.lastUpdateTime}`
      : "no such job";
    reply(`${nodes[i]!.name}: ${text}`);
  });
  const same = answers.every((job) => JSON.stringify(job) === JSON.stringify(answers[0]));
  if (!same) throw new Error(`The nodes answered GetJob ${id} differently`);
  reply(`the ${nodes.length} answers are identical`);
}

interface DemoNode {
  readonly name: string;
  readonly client: LauncherClient;
  ask(messageType: number, user: string, extra: Record<string, unknown>): Promise<Message>;
  /** Closes its stdin and waits for the exit (killing it after a grace period). */
  stop(): Promise<string>;
}

async function startNode(
  name: string,
  options: ClusterDemoOptions & { scratch: string; store: DemoStore },
): Promise<DemoNode> {
  const dir = `${options.scratch}/${name}`;
  const configFile = await writeNodeConfig(dir, name, options);
  const child = spawnPluginHost([
    `--plugin-name=${options.plugin}`,
    `--scratch-path=${dir}`,
    `--logging-dir=${dir}`,
    `--config-file=${configFile}`,
    ...(options.pluginsDir ? [`--plugins-dir=${options.pluginsDir}`] : []),
  ], options.store.env);
  const stderr = new Response(child.stderr).text();
  const client = new LauncherClient(child.stdout, child.stdin);
  const node: DemoNode = {
    name,
    client,
    ask: (messageType, user, extra) => client.request(client.userRequest(messageType, user, extra)),
    stop: () => stopChild(child, client),
  };
  let boot: Message;
  try {
    boot = await client.bootstrap();
    if (boot.messageType !== 1) throw new Error(String(boot.errorMessage));
    // The host opens its job store once Bootstrap is answered: a first request shows it serves.
    const info = await node.ask(9, options.user, {});
    if (info.messageType !== 8) throw new Error(String(info.errorMessage));
  } catch (error) {
    await node.stop();
    throw new Error(
      `Cannot start ${name}: ${(error as Error).message}\n${lastLines(await stderr)}`,
    );
  }
  reply(`${name} bootstrapped, API ${versionText(boot.version)}`);
  return node;
}

/** What launcher.<plugin>.conf holds on each node of a real cluster, with the demo's timings. */
async function writeNodeConfig(
  dir: string,
  name: string,
  options: { plugin: string; store: DemoStore },
): Promise<string> {
  await Deno.mkdir(dir, { mode: 0o700 });
  const configFile = `${dir}/launcher.${options.plugin}.conf`;
  const lines = [
    `job-store-url=${options.store.url}`,
    `node-id=${name}`,
    "node-address=127.0.0.1",
    "pending-ms=300",
    "tick-ms=400",
  ];
  await Deno.writeTextFile(configFile, lines.join("\n") + "\n", { mode: 0o600 });
  return configFile;
}

async function stopChild(child: Deno.ChildProcess, client: LauncherClient): Promise<string> {
  await client.close().catch(() => {});
  // As `client host stop`: the host's own drain, and a margin; then it is killed.
  const grace = AbortSignal.timeout(HOST_STOP_TIMEOUT_MS);
  const kill = () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // exited already
    }
  };
  grace.addEventListener("abort", kill, { once: true });
  const status = await child.status;
  grace.removeEventListener("abort", kill);
  if (status.success) return "exited cleanly";
  return status.signal ? `killed (${status.signal})` : `exited with code ${status.code}`;
}

/** Runs `work`, failing with a clear message when `signal` (the session's time) runs out. */
async function bounded(signal: AbortSignal, work: () => Promise<void>): Promise<void> {
  let fail = () => {};
  const timedOut = new Promise<never>((_, reject) => {
    fail = () =>
      reject(
        new Error(`The cluster demo did not finish within ${DEMO_CLUSTER_TIMEOUT_MS / 1000} s`),
      );
  });
  signal.addEventListener("abort", fail, { once: true });
  try {
    await Promise.race([work(), timedOut]);
  } finally {
    signal.removeEventListener("abort", fail);
  }
}
