import { treeCpuSeconds } from "./cpu.ts";
import { type Figure, percentile } from "./figure.ts";
import { request, startHost } from "./host.ts";

const USERS = 200;
/** Seconds of load; `LAUNCHBOX_BENCH_MIXED_SECONDS=60` for the full minute. */
const SECONDS = Number(Deno.env.get("LAUNCHBOX_BENCH_MIXED_SECONDS") ?? 10);
/** Each user's pause between two rounds (a submit, then two GetJobs of that job). */
const PAUSE_MS = 500;

type Host = Awaited<ReturnType<typeof startHost>>;
type Kind = "submit" | "getJob";

/**
 * Sustained mixed load on inmemory: 200 users, each with its own status stream
 * (`GetJobStatus "*"`), submitting a job and reading it back twice every half second for
 * SECONDS. Reports p50/p99 per request type, the host tree's CPU per request, host RSS at
 * the end, and checks nothing is lost: every acknowledged job reaches Finished on its
 * user's stream, and each user's `GetJob "*"` lists exactly the jobs it submitted.
 */
export async function mixedLoad(): Promise<Figure[]> {
  const host = await startHost({ config: ["pending-ms=200", "run-ms=500"] });
  try {
    await host.client.bootstrap();
    const users = Array.from({ length: USERS }, (_, i) => `mixed${i}`);
    const finished = new Map(users.map((user) => [user, new Set<string>()]));
    const streams = users.map((user) => watch(host, user, finished.get(user)!));
    const latencies: Record<Kind, number[]> = { submit: [], getJob: [] };
    const submitted = new Map(users.map((user) => [user, [] as string[]]));
    const cpuBefore = await treeCpuSeconds(host.child.pid);
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(
      users.map((user) => lane(host, user, until, latencies, submitted.get(user)!)),
    );
    const cpu = (await treeCpuSeconds(host.child.pid)) - cpuBefore;
    const rssKiB = await hostRss(host.child.pid);
    const lost = await unfinished(submitted, finished, 15_000);
    await checkListed(host, submitted);
    const total = latencies.submit.length + latencies.getJob.length;
    const jobs = latencies.submit.length;
    if (lost > 0) throw new Error(`${lost} of ${jobs} acknowledged jobs never reached Finished`);
    for (const stream of streams) host.client.cancelStream(stream);
    const label = `mixed load, ${USERS} users with a status stream each, ${SECONDS} s`;
    return [
      ...(["submit", "getJob"] as const).flatMap((kind) => [
        { name: `${label}: ${kind} p50`, value: percentile(latencies[kind], 50), unit: "ms" },
        {
          name: `${label}: ${kind} p99`,
          value: percentile(latencies[kind], 99),
          unit: "ms",
          note: `${latencies[kind].length} requests`,
        },
      ]),
      {
        name: `${label}: host CPU per request (user + system, host and runners)`,
        value: (cpu / total) * 1e6,
        unit: "µs",
      },
      {
        name: `${label}: host RSS at the end`,
        value: rssKiB / 1024,
        unit: "MiB",
        note: `all ${jobs} jobs reached Finished on their streams and were listed`,
      },
    ];
  } finally {
    await host.stop();
  }
}

/** Opens a user's status stream and records each job seen Finished on it. */
function watch(host: Host, user: string, finished: Set<string>) {
  const message = request(host.client, 4, user, { jobId: "*", encodedJobId: "" });
  void (async () => {
    for await (const status of host.client.openStream(message)) {
      if (status.status === "Finished") finished.add(status.id as string);
    }
  })();
  return message;
}

async function lane(
  host: Host,
  user: string,
  until: number,
  latencies: Record<Kind, number[]>,
  submitted: string[],
): Promise<void> {
  // Spread the users' rounds over the pause instead of starting them all together.
  await new Promise((resolve) => setTimeout(resolve, Math.random() * PAUSE_MS));
  while (performance.now() < until) {
    const job = await timed(
      host,
      "submit",
      latencies,
      request(host.client, 2, user, {
        job: { command: "true", name: `${user}-${submitted.length}` },
      }),
    );
    const id = (job.jobs as { id: string }[])[0]!.id;
    submitted.push(id);
    for (let i = 0; i < 2; i++) {
      await timed(host, "getJob", latencies, request(host.client, 3, user, { jobId: id }));
    }
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
}

async function timed(
  host: Host,
  kind: Kind,
  latencies: Record<Kind, number[]>,
  message: Record<string, unknown> & { requestId: number },
) {
  const at = performance.now();
  const reply = await host.client.request(message);
  if (reply.messageType !== 2) throw new Error(`${kind} failed: ${reply.errorMessage}`);
  latencies[kind].push(performance.now() - at);
  return reply;
}

/** How many acknowledged jobs have not been seen Finished once `timeoutMs` ran out. */
async function unfinished(
  submitted: Map<string, string[]>,
  finished: Map<string, Set<string>>,
  timeoutMs: number,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (true) {
    let missing = 0;
    for (const [user, ids] of submitted) {
      for (const id of ids) if (!finished.get(user)!.has(id)) missing++;
    }
    if (missing === 0 || performance.now() > deadline) return missing;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Each user's `GetJob "*"` must list exactly the jobs it submitted. */
async function checkListed(host: Host, submitted: Map<string, string[]>): Promise<void> {
  for (const [user, ids] of submitted) {
    const reply = await host.client.request(
      request(host.client, 3, user, { jobId: "*", fields: ["id"] }),
    );
    const listed = ((reply.jobs ?? []) as { id: string }[]).map((job) => job.id).sort();
    if (JSON.stringify(listed) !== JSON.stringify([...ids].sort())) {
      throw new Error(`GetJob "*" for ${user} listed ${listed.length} of ${ids.length} jobs`);
    }
  }
}

/** The host process's RSS in KiB, from ps (the bench may not read /proc). */
async function hostRss(pid: number): Promise<number> {
  const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)] }).output();
  return Number(new TextDecoder().decode(out.stdout).trim());
}
