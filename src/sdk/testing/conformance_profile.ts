import type { Job } from "../job.ts";
import type { JobStatus } from "../job_status.ts";
import type { JobFields } from "./test_host.ts";

/**
 * How a job should end after a control operation: its status and the exit codes allowed
 * (any exit code when the list is empty).
 *
 * @example
 * ```ts
 * import type { ExpectedEnd } from "./mod.ts";
 * // Slurm reports a killed job with 137 or 143.
 * const slurmKill: ExpectedEnd = { status: "Killed", exitCodes: [137, 143] };
 * ```
 */
export interface ExpectedEnd {
  readonly status: JobStatus;
  readonly exitCodes: readonly number[];
}

/**
 * How a stopped job ends: `Finished` on every plugin (Stop is SIGTERM, and the protocol
 * ends it as Finished, exit 143), with one of these exit codes. The suite refuses another
 * status.
 *
 * @example
 * ```ts
 * import type { StopEnd } from "./mod.ts";
 * // A job that traps SIGTERM and exits 0 may end Finished 0 as well.
 * const stop: StopEnd = { exitCodes: [143, 0] };
 * ```
 */
export interface StopEnd {
  /** Always `Finished`; may be left out. */
  readonly status?: "Finished";
  readonly exitCodes: readonly number[];
}

/**
 * What the conformance suite needs to know about a plugin: the jobs to run, how control
 * operations end on its scheduler, which optional features it has, and how long to wait.
 *
 * @example
 * ```ts
 * import type { ConformanceProfile } from "./mod.ts";
 * const profile: ConformanceProfile = {
 *   name: "local",
 *   config: { "poll-ms": "20" },
 *   job: { command: "echo conformance" },
 *   longRunningJob: { command: "sleep 3600" },
 *   stop: { status: "Finished", exitCodes: [143] },
 *   kill: { status: "Killed", exitCodes: [137] },
 *   networkAvailable: false,
 *   jobCompleteTimeoutMs: 10_000,
 * };
 * ```
 */
export interface ConformanceProfile {
  /** Names the tests: `"<name> conformance: invariants"` and `"… workflows"`. */
  readonly name: string;
  /**
   * Why the suite cannot run here (say, the scheduler is not reachable): both tests are
   * registered as ignored, with the reason in their names. Default: run.
   */
  readonly skip?: string;
  /** The plugin's `ctx.config` during the suite; make timings fast here. Default: empty. */
  readonly config?: Readonly<Record<string, string>>;
  /** Who submits the jobs. Default `conformance`. */
  readonly user?: string;
  /** A job that runs to completion by itself. Default: `{ command: "echo conformance" }`. */
  readonly job?: JobFields;
  /** A job that keeps running until it is stopped or killed. */
  readonly longRunningJob: JobFields;
  /** A job that stays Pending long enough to cancel it. Default: `job`. */
  readonly pendingJob?: JobFields;
  /** How a stopped job ends: Finished, with exit code 143 (128 + SIGTERM) by default. */
  readonly stop?: StopEnd;
  /** How a killed job ends. Default: Killed with exit code 137 (128 + SIGKILL). */
  readonly kill?: ExpectedEnd;
  /** Whether jobs produce output the suite can read. Default `true`. */
  readonly outputAvailable?: boolean;
  /** Whether jobs can be suspended and resumed. Default `false`. */
  readonly suspendSupported?: boolean;
  /** Whether `jobNetwork` answers for a running job (checked only if implemented). Default `true`. */
  readonly networkAvailable?: boolean;
  /** How long a job may take to start Running, and a suspend or resume to land. Default 30 s. */
  readonly jobStartTimeoutMs?: number;
  /** How long a job may take to reach a terminal status. Default 60 s. */
  readonly jobCompleteTimeoutMs?: number;
  /** How long an output or resource stream may take to deliver and end. Default 10 s. */
  readonly outputTimeoutMs?: number;
  /**
   * What of a job is still alive on the scheduler (say, its steps on the nodes), one
   * description each; empty once nothing is. After Stop and Kill the suite polls it until
   * it is empty, up to `jobCompleteTimeoutMs`. Default: for a job whose `pid` is a process
   * the test started, every process in its process group or below it (read from `/proc`).
   */
  readonly leftovers?: (job: Job) => Promise<readonly string[]>;
}

/** A profile with every default filled in. */
export type ResolvedProfile =
  & Readonly<Required<Omit<ConformanceProfile, "skip" | "leftovers" | "stop">>>
  & Pick<ConformanceProfile, "skip" | "leftovers">
  & { readonly stop: ExpectedEnd & { readonly status: "Finished" } };

/** The defaults of the optional profile fields (the Go SDK's, where it has one). */
export const PROFILE_DEFAULTS = {
  user: "conformance",
  job: { command: "echo conformance" },
  stop: { status: "Finished", exitCodes: [143] },
  kill: { status: "Killed", exitCodes: [137] },
  outputAvailable: true,
  suspendSupported: false,
  networkAvailable: true,
  jobStartTimeoutMs: 30_000,
  jobCompleteTimeoutMs: 60_000,
  outputTimeoutMs: 10_000,
} as const satisfies Partial<ConformanceProfile>;

/** How long a terminal status is watched for regressions (Go `TerminalStatusNeverRegresses`). */
export const TERMINAL_WATCH_MS = 200;

/** How soon after its signal aborts a stream must end: promptly, not at its next tick. */
export const ABORT_GRACE_MS = 1_000;

/** How long a stream-cancellation check waits for a first item before aborting anyway. */
export const FIRST_ITEM_WAIT_MS = 500;

/**
 * Fills in the defaults; throws a `RangeError` for a timeout that is not a positive number
 * or a stop that does not end as Finished.
 */
export function resolveProfile(profile: ConformanceProfile): ResolvedProfile {
  const stopStatus: string = profile.stop?.status ?? "Finished";
  if (stopStatus !== "Finished") {
    throw new RangeError(
      `Cannot use conformance profile "${profile.name}": a stopped job ends Finished on every ` +
        `plugin (Stop is SIGTERM: Finished, exit 143), got stop.status "${stopStatus}"`,
    );
  }
  const resolved: ResolvedProfile = {
    ...PROFILE_DEFAULTS,
    config: {},
    ...profile,
    stop: { status: "Finished", exitCodes: profile.stop?.exitCodes ?? [143] },
    pendingJob: profile.pendingJob ?? profile.job ?? PROFILE_DEFAULTS.job,
  };
  for (const key of ["jobStartTimeoutMs", "jobCompleteTimeoutMs", "outputTimeoutMs"] as const) {
    const value = resolved[key];
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(
        `Cannot use conformance profile "${profile.name}": ${key} must be a positive number of ms, got ${value}`,
      );
    }
  }
  return resolved;
}
