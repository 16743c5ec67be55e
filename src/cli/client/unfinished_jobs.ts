import type { Message } from "../../launcher/launcher_client.ts";
import { HOST_POLL_MS, STOP_JOBS_TIMEOUT_MS } from "./constants.ts";
import { type ClientHost, expectReply } from "./plugin_host.ts";

const UNFINISHED = ["Pending", "Running", "Suspended"];

/** The operation that ends a job in each unfinished status, as ControlJob numbers it. */
const ENDING_OPERATION: Readonly<Record<string, { name: string; operation: number }>> = {
  Pending: { name: "cancel", operation: 4 },
  Running: { name: "stop", operation: 2 },
};

/** One job `--stop-jobs` could not end, and why. */
export interface JobLeft {
  readonly id: string;
  readonly reason: string;
}

/** Every user's jobs that are not in a terminal status (the host must be asked as admin, `*`). */
export async function unfinishedJobs(host: ClientHost): Promise<Message[]> {
  const filter = { jobId: "*", encodedJobId: "", statuses: UNFINISHED };
  const reply = expectReply(await host.ask(3, filter), 2);
  return reply.jobs as Message[];
}

/**
 * Ends `jobs` as a user would: cancels the Pending ones (first, so that none starts in a
 * slot a stopped job frees), stops the Running ones (the plugin's stop: SIGTERM for
 * process plugins), then waits until every one is terminal, {@linkcode STOP_JOBS_TIMEOUT_MS}
 * at most. Returns those it could not end.
 */
export async function stopJobs(host: ClientHost, jobs: readonly Message[]): Promise<JobLeft[]> {
  const left: JobLeft[] = [];
  const asked: string[] = [];
  const order = [...jobs].sort((a, b) =>
    Number(b.status === "Pending") - Number(a.status === "Pending")
  );
  for (const job of order) {
    const refused = await endJob(host, String(job.id), String(job.status));
    if (refused) left.push({ id: String(job.id), reason: refused });
    else asked.push(String(job.id));
  }
  const deadline = AbortSignal.timeout(STOP_JOBS_TIMEOUT_MS);
  let waiting = asked;
  while (waiting.length > 0 && !deadline.aborted) {
    const still = new Set((await unfinishedJobs(host)).map((job) => String(job.id)));
    waiting = waiting.filter((id) => still.has(id));
    if (waiting.length > 0) await new Promise((resolve) => setTimeout(resolve, HOST_POLL_MS * 4));
  }
  const late = waiting.map((id) => ({
    id,
    reason: `still unfinished after ${STOP_JOBS_TIMEOUT_MS} ms`,
  }));
  return [...left, ...late];
}

/**
 * Asks for the operation that ends a job in `status`; a job that moved on meanwhile (a
 * queued job that started) is asked again for its new status. Why it could not, or nothing.
 */
async function endJob(host: ClientHost, id: string, status: string): Promise<string | undefined> {
  let reason = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!UNFINISHED.includes(status)) return undefined;
    const ending = ENDING_OPERATION[status];
    if (!ending) return `it is ${status}: resume it first`;
    const reply = await host.ask(5, { jobId: id, encodedJobId: "", operation: ending.operation });
    if (reply.messageType !== -1) return undefined;
    reason = `${ending.name}: ${reply.errorMessage}`;
    const now = expectReply(await host.ask(3, { jobId: id, encodedJobId: "" }), 2);
    status = String((now.jobs as Message[])[0]?.status);
  }
  return reason;
}
