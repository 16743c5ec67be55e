import {
  ErrorCode,
  isTerminalStatus,
  type Job,
  LauncherError,
  type OutputChunk,
  type OutputRequest,
  type ResourceUtil,
} from "../sdk/mod.ts";
import type { StoredJob } from "./job_store/mod.ts";
import type { PluginInstance } from "./plugin_instance.ts";
import type { JobRouting, JobWork } from "./job_routing.ts";
import { waitForJob, type WatchableJobs } from "./job_watch.ts";

/** Options for {@linkcode JobStreams}. */
export interface JobStreamsOptions {
  store: Omit<WatchableJobs, "get"> & { get(id: string): Promise<StoredJob | undefined> };
  /** The instance driving `job`; rejects when this node may not `action` it. */
  instanceFor: (job: Job, action: string, work: JobWork) => Promise<PluginInstance>;
  /** Where a stream of another node's job is served: here, or forwarded by its owner. */
  routing: JobRouting;
  pluginName: string;
}

const READ_OUTPUT = "read the output of";
const READ_RESOURCES = "read the resource use of";

/**
 * Output and resource streams: the host adds the lifecycle rules (output of a Pending job
 * waits until it starts; a resource stream ends when its job does) around the plugin's
 * iterables, or around the owner's stream when another node drives the job.
 */
export class JobStreams {
  readonly #o: JobStreamsOptions;

  constructor(options: JobStreamsOptions) {
    this.#o = options;
  }

  async *output(
    user: string,
    job: Job,
    wanted: OutputRequest,
    signal: AbortSignal,
  ): AsyncIterable<OutputChunk> {
    const started = await waitForJob(this.#o.store, job.id, (j) => j.status !== "Pending", signal);
    if (!started) throw new LauncherError(ErrorCode.JobNotFound, `Job ${job.id} no longer exists`);
    const stored = await this.#elsewhere(job, "output");
    if (stored) {
      const request = { job: job.id, kind: "output" as const, user, wanted };
      const chunks = this.#o.routing.streamElsewhere(stored, request, READ_OUTPUT, signal);
      return yield* chunks as AsyncIterable<OutputChunk>;
    }
    const instance = await this.#o.instanceFor(started, READ_OUTPUT, "output");
    yield* instance.jobOutput(started, wanted, { signal });
  }

  async *resources(user: string, job: Job, signal: AbortSignal): AsyncIterable<ResourceUtil> {
    const stored = await this.#elsewhere(job, "resources");
    const request = { job: job.id, kind: "resources" as const, user };
    const samples = stored
      ? (both: AbortSignal) =>
        this.#o.routing.streamElsewhere(stored, request, READ_RESOURCES, both) as AsyncIterable<
          ResourceUtil
        >
      : await this.#localResources(job);
    const ended = new AbortController();
    const both = AbortSignal.any([signal, ended.signal]);
    const watch = waitForJob(this.#o.store, job.id, (j) => isTerminalStatus(j.status!), both);
    watch.then(() => ended.abort(), () => {});
    try {
      for await (const sample of samples(both)) {
        if (both.aborted) return;
        yield sample;
      }
    } catch (error) {
      if (!ended.signal.aborted) throw error;
    } finally {
      ended.abort();
    }
  }

  async #localResources(job: Job) {
    const instance = await this.#o.instanceFor(job, READ_RESOURCES, "resources");
    if (!instance.jobResourceUtil) {
      throw new LauncherError(
        ErrorCode.RequestNotSupported,
        `Plugin "${this.#o.pluginName}" does not report resource utilisation`,
      );
    }
    return (signal: AbortSignal) => instance.jobResourceUtil!(job, { signal });
  }

  /** The stored job when another node must serve its `work` stream; else `undefined`. */
  async #elsewhere(job: Job, work: JobWork): Promise<StoredJob | undefined> {
    const stored = await this.#o.store.get(job.id);
    if (!stored) throw new LauncherError(ErrorCode.JobNotFound, `Job ${job.id} no longer exists`);
    return this.#o.routing.isLocal(stored, work) ? undefined : stored;
  }
}
