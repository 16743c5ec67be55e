/**
 * The conformance check that a stopped or killed job leaves nothing behind: for a job whose
 * `pid` is a process this test started, its process group and descendants; for any plugin,
 * what the profile's `leftovers` hook reports.
 */
import type { Job } from "../job.ts";
import type { ResolvedProfile } from "./conformance_profile.ts";
import { fail, messageOf } from "./_checks.ts";
import {
  describeProcess,
  jobProcesses,
  listProcesses,
  type ProcessEntry,
  startedByThisTest,
  survivors,
} from "./_processes.ts";

/** How often the suite looks again while a stopped job's leftovers may still be ending. */
export const LEFTOVER_POLL_MS = 50;

/** Reports what of a job is still alive; empty once nothing is. */
export type LeftoverProbe = () => Promise<readonly string[]>;

/**
 * Looks at a running job before it is stopped and returns how to find what is left of it
 * afterwards, or why that cannot be checked here.
 */
export async function watchLeftovers(
  profile: ResolvedProfile,
  job: Job,
): Promise<LeftoverProbe | { skipped: string }> {
  const hook = profile.leftovers;
  if (hook) return () => hook(job);
  const pid = job.pid;
  if (typeof pid !== "number") {
    return { skipped: "leftovers not checked: the job has no pid and profile.leftovers is unset" };
  }
  let first: ProcessEntry[];
  try {
    first = await listProcesses();
  } catch (error) {
    fail(
      `Cannot list the processes of job "${job.id}" with ps (run deno test with ` +
        `--allow-run=ps, or set profile.leftovers): ${messageOf(error)}`,
    );
  }
  if (!startedByThisTest(first, pid)) {
    return {
      skipped: `leftovers not checked: pid ${pid} is not a process of this test; ` +
        "a scheduler plugin sets profile.leftovers",
    };
  }
  // A second look lets a job's shell start the command it runs before the stop is sent.
  await new Promise((resolve) => setTimeout(resolve, LEFTOVER_POLL_MS));
  const second = await listProcesses();
  const seen = [...jobProcesses(first, pid), ...jobProcesses(second, pid)];
  return async () => (await survivors(seen, pid)).map(describeProcess);
}

/** Fails, naming the survivors, unless `probe` reports nothing left within the timeout. */
export async function expectNothingLeft(
  operation: string,
  job: Job,
  probe: LeftoverProbe,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let left = await probe();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, LEFTOVER_POLL_MS));
    left = await probe();
  }
  if (left.length === 0) return;
  fail(
    `${operation} of job "${job.id}" left ${left.join(", ")} running ${timeoutMs} ms after ` +
      `the job ended as ${job.status}; signal the job's whole process group ` +
      "(kill -TERM -<pgid>), not just its shell, or for a scheduler cancel all of the job",
  );
}
