/** The shape of a probe and what the harness tells it (see `../probes.ts`). */
import type { Job, PluginContext } from "../../../../src/sdk/mod.ts";

/** The isolation levels the suite runs at; `session-user` is `session` with `run_as: session-user`. */
export type Level = "none" | "namespace" | "session" | "session-user";

/** What a probe gets: the plugin's context and values the harness passes in the job's environment. */
export interface ProbeInput {
  ctx: PluginContext;
  /** The job the probe runs for (its own). */
  job: Job;
  /** `VICTIM_JOB`, `VICTIM_USER`, `VICTIM_DIR`, `SCRATCH`, `SECRET_JSON` (see `../_suite.ts`). */
  env: Record<string, string>;
}

/** One hostile behaviour. */
export interface Probe {
  name: string;
  attempt(input: ProbeInput): Promise<unknown>;
  refused?: RegExp;
  answers?: RegExp;
  replaced?: RegExp;
  fails?: RegExp;
  /** A log line of the host about this plugin must match (a refused message, say). */
  logs?: RegExp;
  /**
   * The probe starts a process and answers its pid (or writes it to `pidFile` in its
   * instance directory): whether that process is gone or survives once the host stopped.
   */
  afterStop?: "gone" | "survives";
  pidFile?: string;
  /** What the probe answered is a path no other user may reach (a closed directory above it). */
  unreachable?: boolean;
  /** Levels where the probe means nothing, with the reason. */
  skip?: Partial<Record<Level, string>>;
}

/** Why a probe of another user's data means nothing at level `none`. */
export const SHARED = "the shared instance serves every user's jobs by design";
