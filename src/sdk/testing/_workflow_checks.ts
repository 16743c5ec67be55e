/**
 * The conformance checks that drive a job through the scheduler: launch, network,
 * resources, stream cancellation, control operations and recovery. Each throws an `Error`
 * saying what the plugin did wrong; `checkCancel` may instead report why it could not run.
 */
import type { Job } from "../job.ts";
import { ErrorCode, LauncherError } from "../launcher_error.ts";
import type { ControlResult, ResourceUtil } from "../streams.ts";
import {
  ABORT_GRACE_MS,
  type ExpectedEnd,
  FIRST_ITEM_WAIT_MS,
  type ResolvedProfile,
} from "./conformance_profile.ts";
import { fail, messageOf, TERMINAL_STATUSES } from "./_checks.ts";
import { abortAfterFirst, type AbortOutcome } from "./_streams.ts";
import { expectNothingLeft, watchLeftovers } from "./_leftovers.ts";
import type { TestHost } from "./test_host.ts";

/** A check that could not run, and why. */
export interface Skipped {
  readonly skipped: string;
}

/**
 * Submits the profile's long-running job, waits until it runs, hands it to `use`, and
 * afterwards kills (or cancels) it if it is still live, so no real job outlives the suite.
 */
export async function withRunningJob<T>(
  host: TestHost,
  profile: ResolvedProfile,
  use: (job: Job) => Promise<T>,
): Promise<T> {
  const job = await host.submit(profile.longRunningJob, profile.user);
  try {
    const running = await host.waitForStatus(job.id, "Running", profile.jobStartTimeoutMs);
    return await use(running);
  } finally {
    await cleanUp(host, job.id);
  }
}

async function cleanUp(host: TestHost, id: string): Promise<void> {
  const status = host.job(id)?.status;
  const operation = status === "Pending" ? "cancel" : status === "Running" ? "kill" : undefined;
  if (operation) await host.control(id, operation).catch(() => {});
}

/** Launch: the long-running job reaches Running within the start timeout. */
export async function checkLaunch(host: TestHost, profile: ResolvedProfile): Promise<void> {
  await withRunningJob(host, profile, async () => {});
}

/** Network: a running job has a non-empty host and an array of address strings. */
export async function checkNetwork(host: TestHost, profile: ResolvedProfile): Promise<void> {
  await withRunningJob(host, profile, async (job) => {
    const network = await host.network(job.id);
    if (typeof network?.host !== "string" || network.host === "") {
      fail(`jobNetwork of job "${job.id}" gave no host: ${JSON.stringify(network)}`);
    }
    const addresses: unknown = network.ipAddresses;
    if (!Array.isArray(addresses) || !addresses.every((a) => typeof a === "string" && a)) {
      fail(`jobNetwork of job "${job.id}" must give ipAddresses as strings, got ${addresses}`);
    }
  });
}

const SAMPLE_FIELDS = new Set(["cpuPercent", "cpuTime", "virtualMemory", "residentMemory"]);

/**
 * Resource: a running job's stream delivers a sample of finite, non-negative numbers, and
 * ends promptly with at most one more sample once its signal aborts.
 */
export async function checkResource(host: TestHost, profile: ResolvedProfile): Promise<void> {
  await withRunningJob(host, profile, async (job) => {
    const controller = new AbortController();
    const stream = host.resourceUtil(job.id, { signal: controller.signal });
    const outcome = await abortAfterFirst(stream, controller, {
      openMs: profile.outputTimeoutMs,
      graceMs: ABORT_GRACE_MS,
    });
    const sample = outcome.before[0];
    if (!sample) {
      fail(
        `Resource stream of job "${job.id}" gave no sample within ${profile.outputTimeoutMs} ms`,
      );
    }
    const bad = Object.entries(sample as ResourceUtil).filter(([key, value]) =>
      !SAMPLE_FIELDS.has(key) || typeof value !== "number" || !Number.isFinite(value) || value < 0
    );
    if (bad.length > 0) {
      const fields = bad.map(([key, value]) => `${key}=${String(value)}`).join(", ");
      fail(`Resource sample of job "${job.id}" has bad fields: ${fields}`);
    }
    expectPromptEnd(`Resource stream of job "${job.id}"`, outcome);
  });
}

/** StreamCancellation: an aborted output stream of a running job ends promptly. */
export async function checkStreamCancellation(
  host: TestHost,
  profile: ResolvedProfile,
): Promise<void> {
  await withRunningJob(host, profile, async (job) => {
    const controller = new AbortController();
    const stream = host.outputStream(job.id, "both", { signal: controller.signal });
    const outcome = await abortAfterFirst(stream, controller, {
      openMs: FIRST_ITEM_WAIT_MS,
      graceMs: ABORT_GRACE_MS,
    });
    expectPromptEnd(`Output stream of job "${job.id}"`, outcome);
  });
}

function expectPromptEnd(what: string, outcome: AbortOutcome<unknown>): void {
  if (outcome.afterAbort > 1) {
    fail(`${what} delivered ${outcome.afterAbort} items after its signal aborted (at most 1)`);
  }
  if (!outcome.ended) fail(`${what} was still open ${ABORT_GRACE_MS} ms after its signal aborted`);
}

/**
 * Stop: a running job ends with `profile.stop`'s status and one of its exit codes, and
 * nothing of it is left running (see {@linkcode watchLeftovers}).
 */
export function checkStop(host: TestHost, profile: ResolvedProfile): Promise<Skipped | void> {
  return controlEnd(host, profile, "stop");
}

/** Kill: like Stop, with `profile.kill`. */
export function checkKill(host: TestHost, profile: ResolvedProfile): Promise<Skipped | void> {
  return controlEnd(host, profile, "kill");
}

async function controlEnd(
  host: TestHost,
  profile: ResolvedProfile,
  operation: "stop" | "kill",
): Promise<Skipped | void> {
  return await withRunningJob(host, profile, async (job) => {
    const leftovers = await watchLeftovers(profile, job);
    expectControlResult(operation, await host.control(job.id, operation));
    const ended = await host.waitForStatus(job.id, TERMINAL_STATUSES, profile.jobCompleteTimeoutMs);
    expectEnd(operation, ended, profile[operation]);
    if ("skipped" in leftovers) return leftovers;
    const name = operation === "stop" ? "Stop" : "Kill";
    await expectNothingLeft(name, ended, leftovers, profile.jobCompleteTimeoutMs);
  });
}

function expectControlResult(operation: string, result: ControlResult): void {
  if (typeof result?.statusMessage !== "string" || typeof result.operationComplete !== "boolean") {
    fail(
      `controlJob(${operation}) must return { statusMessage, operationComplete }, got ${
        JSON.stringify(result)
      }`,
    );
  }
}

/** Throws unless `job` ended as `expected` says. */
function expectEnd(operation: string, job: Job, expected: ExpectedEnd): void {
  const codes = expected.exitCodes;
  if (job.status === expected.status && (codes.length === 0 || codes.includes(job.exitCode!))) {
    return;
  }
  const wanted = codes.length ? ` with exit code ${codes.join(" or ")}` : "";
  fail(
    `${operation} ended job "${job.id}" as ${job.status} with exit code ${job.exitCode}; ` +
      `expected ${expected.status}${wanted}`,
  );
}

/**
 * Cancel: a job cancelled while Pending ends as Canceled. Reports `skipped` when the job
 * had already left Pending, since the plugin then moved faster than the suite could ask.
 */
export async function checkCancel(
  host: TestHost,
  profile: ResolvedProfile,
): Promise<Skipped | void> {
  const job = await host.submit(profile.pendingJob, profile.user);
  const tooFast = (status: string | undefined): Skipped => ({
    skipped: `job "${job.id}" was ${status} before cancel was sent; make Pending last longer ` +
      "through profile.config or profile.pendingJob",
  });
  try {
    if (host.job(job.id)?.status !== "Pending") return tooFast(host.job(job.id)?.status);
    const result = await host.control(job.id, "cancel").catch((error) => {
      if (error instanceof LauncherError && error.code === ErrorCode.InvalidJobState) return;
      fail(`Cannot cancel pending job "${job.id}": ${messageOf(error)}`);
    });
    if (!result) return tooFast(host.job(job.id)?.status);
    expectControlResult("cancel", result);
    const ended = await host.waitForStatus(job.id, TERMINAL_STATUSES, profile.jobCompleteTimeoutMs);
    expectEnd("cancel", ended, { status: "Canceled", exitCodes: [] });
  } finally {
    await cleanUp(host, job.id);
  }
}

/** SuspendResume: Running → Suspended → Running, then a stop ends it as the profile says. */
export async function checkSuspendResume(host: TestHost, profile: ResolvedProfile): Promise<void> {
  await withRunningJob(host, profile, async (job) => {
    expectControlResult("suspend", await host.control(job.id, "suspend"));
    await host.waitForStatus(job.id, "Suspended", profile.jobStartTimeoutMs);
    expectControlResult("resume", await host.control(job.id, "resume"));
    await host.waitForStatus(job.id, "Running", profile.jobStartTimeoutMs);
    await host.control(job.id, "stop");
    const ended = await host.waitForStatus(job.id, TERMINAL_STATUSES, profile.jobCompleteTimeoutMs);
    expectEnd("stop after resume", ended, profile.stop);
  });
}

/**
 * Recover: after a restart, the new instance's `recover` resolves with the live jobs, the
 * running job stays Running, and it can still be stopped as the profile says.
 */
export async function checkRecover(host: TestHost, profile: ResolvedProfile): Promise<void> {
  await withRunningJob(host, profile, async (job) => {
    await host.restart().catch((error) => fail(`recover rejected: ${messageOf(error)}`));
    const status = host.job(job.id)?.status;
    if (status !== "Running") fail(`Job "${job.id}" was ${status} after recover; expected Running`);
    await host.control(job.id, "stop");
    const ended = await host.waitForStatus(job.id, TERMINAL_STATUSES, profile.jobCompleteTimeoutMs);
    expectEnd("stop after recover", ended, profile.stop);
  });
}
