import type { ClusterInfo } from "../cluster_info.ts";
import type { PluginContext } from "../context.ts";
import type { Job, JobFilter, JobUpdate } from "../job.ts";
import { isTerminalStatus, type JobStatus } from "../job_status.ts";
import { ErrorCode, LauncherError } from "../launcher_error.ts";
import type { LauncherPlugin, LauncherPluginDefinition } from "../launcher_plugin.ts";
import {
  type ControlResult,
  type JobNetwork,
  type JobOperation,
  type OutputChunk,
  type OutputRequest,
  REQUIRED_STATUS,
  type ResourceUtil,
} from "../streams.ts";
import type { CapturingLogger, LogRecord } from "./capturing_logger.ts";
import type { MemoryJobs, Violation } from "./_memory_jobs.ts";
import { collect } from "./_streams.ts";
import { resourceStream, startedOutput, waitForStatus } from "./_host_streams.ts";
import { applySubmitChange, checkSubmission } from "./_submission.ts";

/**
 * The fields of a job as the Launcher submits it; the host adds `id`, status and times.
 *
 * @example
 * ```ts
 * import type { JobFields } from "./mod.ts";
 * const session: JobFields = { name: "rstudio", command: "sleep 3600", tags: ["long-running"] };
 * ```
 */
export type JobFields = Omit<Job, "id">;

/** Default bound of {@linkcode TestHost.waitForStatus}, in real milliseconds. */
const DEFAULT_WAIT_MS = 5_000;

/** What a test host is made of; see `createTestHost`. */
export interface HostState {
  definition: LauncherPluginDefinition;
  plugin: LauncherPlugin;
  ctx: PluginContext;
  log: CapturingLogger;
  jobs: MemoryJobs;
  user: string;
}

/**
 * A plugin instance under test and the host around it. Its helpers call the plugin the way
 * the real host does (same checks, same order), so a test exercises the plugin's side of
 * the contract. Create one with `createTestHost`.
 *
 * @example
 * ```ts
 * import type { TestHost } from "./mod.ts";
 * async function stopAndWait(host: TestHost, id: string) {
 *   await host.control(id, "stop");
 *   return await host.waitForStatus(id, ["Finished", "Killed"], 2000);
 * }
 * ```
 */
export class TestHost implements AsyncDisposable {
  /** The context the plugin was created with. */
  readonly ctx: PluginContext;
  readonly #state: HostState;
  readonly #submitted = new Map<string, JobUpdate | undefined>();
  readonly #lifetime = new AbortController();
  #disposed = false;

  constructor(state: HostState) {
    this.#state = state;
    this.ctx = state.ctx;
  }

  /** The plugin instance (a new one after {@linkcode TestHost.restart}). */
  get plugin(): LauncherPlugin {
    return this.#state.plugin;
  }

  /** Every line the plugin logged, oldest first. */
  get logs(): readonly LogRecord[] {
    return this.#state.log.records;
  }

  /** Changes the host refused: terminal statuses regressing, values of the wrong type. */
  get violations(): readonly Violation[] {
    return this.#state.jobs.violations;
  }

  /**
   * Submits a job like the host: checks the user and command, stores the job (next ID,
   * Pending, times set), calls `submitJob` and applies the update it returns. When
   * `submitJob` throws, or returns a value of the wrong type, the job is removed and the
   * error rethrown.
   */
  async submit(fields: JobFields, user: string = this.#state.user): Promise<Job> {
    const jobs = this.#state.jobs;
    const stored = jobs.insert(fields, checkSubmission(user, fields));
    try {
      const change = await this.plugin.submitJob(stored, { signal: this.#signal() });
      this.#submitted.set(stored.id, change ?? undefined);
      if (change) applySubmitChange(jobs, stored.id, change);
    } catch (error) {
      jobs.remove(stored.id);
      throw error;
    }
    return jobs.get(stored.id) ?? stored;
  }

  /** What the plugin's `submitJob` returned for a job, as it returned it. */
  submitUpdate(id: string): JobUpdate | undefined {
    return this.#submitted.get(id);
  }

  /**
   * Asks the plugin to control a job. Like the host, refuses (InvalidJobState) an
   * operation the job's status does not allow, without calling the plugin.
   */
  async control(id: string, operation: JobOperation): Promise<ControlResult> {
    const job = this.#require(id);
    const required = REQUIRED_STATUS[operation];
    if (job.status !== required) {
      throw new LauncherError(
        ErrorCode.InvalidJobState,
        `Job must be ${required.toLowerCase()} to ${operation} it; job ${id} is ${job.status}`,
      );
    }
    return await this.plugin.controlJob(job, operation, { signal: this.#signal() });
  }

  /**
   * A job's output stream as the host serves it: it waits while the job is Pending, then
   * relays the plugin's `jobOutput`. Ends when the plugin's stream does or `signal` aborts.
   */
  outputStream(
    id: string,
    wanted: OutputRequest = "both",
    options: { signal?: AbortSignal } = {},
  ): AsyncIterable<OutputChunk> {
    const job = this.#require(id);
    const plugin = () => this.plugin;
    return startedOutput(this.#state.jobs, job, { plugin, wanted, signal: this.#signal(options) });
  }

  /** Every chunk of a job's output until the stream ends, or until `signal` aborts. */
  output(
    id: string,
    wanted: OutputRequest = "both",
    options: { signal?: AbortSignal } = {},
  ): Promise<OutputChunk[]> {
    return collect(this.outputStream(id, wanted, options), options.signal);
  }

  /**
   * A running job's resource samples as the host serves them: JobNotRunning unless the job
   * runs, RequestNotSupported when the plugin has no `jobResourceUtil`; ends when the job
   * ends or `signal` aborts.
   */
  resourceUtil(id: string, options: { signal?: AbortSignal } = {}): AsyncIterable<ResourceUtil> {
    const job = this.#require(id);
    const plugin = this.plugin;
    if (!plugin.jobResourceUtil) {
      throw new LauncherError(
        ErrorCode.RequestNotSupported,
        `Plugin "${this.ctx.pluginName}" does not report resource utilisation`,
      );
    }
    if (job.status !== "Running") {
      throw new LauncherError(ErrorCode.JobNotRunning, `Job ${id} is not running`);
    }
    return resourceStream(this.#state.jobs, job, { plugin, signal: this.#signal(options) });
  }

  /** Where a running job can be reached; RequestNotSupported without `jobNetwork`. */
  async network(id: string): Promise<JobNetwork> {
    const job = this.#require(id);
    if (!this.plugin.jobNetwork) {
      throw new LauncherError(
        ErrorCode.RequestNotSupported,
        `Plugin "${this.ctx.pluginName}" has no jobNetwork; the host would report its own address`,
      );
    }
    return await this.plugin.jobNetwork(job, { signal: this.#signal() });
  }

  /** What the cluster offers `user` (default: the host's user). */
  clusterInfo(user: string = this.#state.user): Promise<ClusterInfo> {
    return this.plugin.clusterInfo({ user, signal: this.#signal() });
  }

  /**
   * Restarts the instance as the host does after its own restart: closes the plugin,
   * creates a new instance with the same context and store, and calls its `recover` with
   * the live (non-terminal) jobs.
   */
  async restart(): Promise<void> {
    await this.#state.plugin.close?.();
    this.#state.plugin = await this.#state.definition.create(this.ctx);
    const live = this.#state.jobs.list().filter((job) => !isTerminalStatus(job.status!));
    await this.#state.plugin.recover?.(live, { signal: this.#signal() });
  }

  /**
   * Resolves with the job once its status is `wanted` (or one of them). Rejects when the
   * job ends in another status, disappears, or `timeoutMs` (real time) passes first.
   */
  waitForStatus(
    id: string,
    wanted: JobStatus | readonly JobStatus[],
    timeoutMs: number = DEFAULT_WAIT_MS,
  ): Promise<Job> {
    const statuses = typeof wanted === "string" ? [wanted] : wanted;
    return waitForStatus(this.#state.jobs, id, { wanted: statuses, timeoutMs });
  }

  /** A copy of the stored job, if it exists. */
  job(id: string): Job | undefined {
    return this.#state.jobs.get(id);
  }

  /** Copies of the stored jobs that match `filter`, in submission order. */
  jobs(filter?: JobFilter): Job[] {
    return this.#state.jobs.list(filter);
  }

  /** Every status the job has had, in order, starting with Pending. */
  history(id: string): readonly JobStatus[] {
    return this.#state.jobs.history(id);
  }

  /** Ends open streams, closes the plugin and removes the instance directory. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#lifetime.abort();
    try {
      await this.#state.plugin.close?.();
    } finally {
      await Deno.remove(this.ctx.instanceDir, { recursive: true }).catch(() => {});
    }
  }

  #require(id: string): Job {
    const job = this.#state.jobs.get(id);
    if (!job) throw new LauncherError(ErrorCode.JobNotFound, `Job ${id} could not be found`);
    return job;
  }

  #signal(options: { signal?: AbortSignal } = {}): AbortSignal {
    const own = this.#lifetime.signal;
    return options.signal ? AbortSignal.any([own, options.signal]) : own;
  }
}
