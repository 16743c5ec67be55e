import {
  ErrorCode,
  isTerminalStatus,
  type Job,
  LauncherError,
  type OutputChunk,
  type OutputRequest,
  type ResourceUtil,
} from "../sdk/mod.ts";
import type { PluginInstance } from "./plugin_instance.ts";
import { waitForJob, type WatchableJobs } from "./job_watch.ts";

/** Options for {@linkcode JobStreams}. */
export interface JobStreamsOptions {
  store: WatchableJobs;
  /** The instance driving `job`; rejects when this node may not `action` it. */
  instanceFor: (job: Job, action: string) => Promise<PluginInstance>;
  pluginName: string;
}

/**
 * Output and resource streams: the host adds the lifecycle rules (output of a Pending job
 * waits until it starts; a resource stream ends when its job does) around the plugin's
 * iterables.
 */
export class JobStreams {
  readonly #o: JobStreamsOptions;

  constructor(options: JobStreamsOptions) {
    this.#o = options;
  }

  async *output(job: Job, wanted: OutputRequest, signal: AbortSignal): AsyncIterable<OutputChunk> {
    const started = await waitForJob(this.#o.store, job.id, (j) => j.status !== "Pending", signal);
    if (!started) throw new LauncherError(ErrorCode.JobNotFound, `Job ${job.id} no longer exists`);
    const instance = await this.#o.instanceFor(started, "read the output of");
    yield* instance.jobOutput(started, wanted, { signal });
  }

  async *resources(job: Job, signal: AbortSignal): AsyncIterable<ResourceUtil> {
    const instance = await this.#o.instanceFor(job, "read the resource use of");
    if (!instance.jobResourceUtil) {
      throw new LauncherError(
        ErrorCode.RequestNotSupported,
        `Plugin "${this.#o.pluginName}" does not report resource utilisation`,
      );
    }
    const ended = new AbortController();
    const both = AbortSignal.any([signal, ended.signal]);
    const watch = waitForJob(this.#o.store, job.id, (j) => isTerminalStatus(j.status!), both);
    watch.then(() => ended.abort(), () => {});
    try {
      for await (const sample of instance.jobResourceUtil(job, { signal: both })) {
        if (both.aborted) return;
        yield sample;
      }
    } catch (error) {
      if (!ended.signal.aborted) throw error;
    } finally {
      ended.abort();
    }
  }
}
