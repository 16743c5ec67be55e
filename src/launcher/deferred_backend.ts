import type {
  ClusterInfo,
  ControlResult,
  Job,
  JobFilter,
  JobNetwork,
  JobOperation,
  LoadBalancerNode,
  OutputChunk,
  OutputRequest,
  ResourceUtil,
} from "../sdk/mod.ts";
import type { JobDraft } from "./_job_fields.ts";
import type { ConfigReloadOutcome, LauncherBackend } from "./backend.ts";

/**
 * A backend started on demand (job store, instance pool, their modules): Bootstrap is
 * answered at once and handed on once the backend exists, before any request that came
 * after it; every other call starts the backend if {@linkcode start} has not, and waits
 * for it. If it fails to start, every call fails with that error, and the host's start-up
 * reports it (the session only answers).
 */
export class DeferredBackend implements LauncherBackend {
  readonly #start: () => Promise<LauncherBackend>;
  /** Bootstraps answered before the backend started, handed on first once it exists. */
  readonly #bootstraps: AbortSignal[] = [];
  /** Settles once the backend exists and has heard every Bootstrap answered before. */
  #ready: Promise<LauncherBackend> | undefined;
  /** The backend once it exists (status listeners attach to it at once). */
  #backend: LauncherBackend | undefined;
  /** The backend once nothing is pending: calls then go straight to it. */
  #direct: LauncherBackend | undefined;
  readonly #listeners = new Map<(job: Job) => void, () => void>();

  constructor(start: () => Promise<LauncherBackend>) {
    this.#start = start;
  }

  /** Starts the backend (once), without waiting for a request that needs it. */
  start(): Promise<LauncherBackend> {
    if (this.#ready) return this.#ready;
    this.#ready = this.#start().then(async (backend) => {
      this.#backend = backend;
      for (const listener of this.#listeners.keys()) {
        this.#listeners.set(listener, backend.subscribeStatus(listener));
      }
      for (const signal of this.#bootstraps.splice(0)) await backend.bootstrap(signal);
      return backend;
    });
    this.#settle();
    return this.#ready;
  }

  /** Answered at once; the backend hears of it first thing once it exists. */
  bootstrap(signal: AbortSignal): Promise<void> {
    if (this.#direct) return this.#direct.bootstrap(signal);
    if (!this.#ready) {
      this.#bootstraps.push(signal);
      return Promise.resolve();
    }
    this.#ready = this.#ready.then(async (backend) => {
      await backend.bootstrap(signal);
      return backend;
    });
    this.#settle();
    return Promise.resolve();
  }

  submitJob(user: string, draft: JobDraft, signal: AbortSignal): Promise<Job> {
    return this.#use((backend) => backend.submitJob(user, draft, signal));
  }

  getJob(user: string, id: string, fields?: string[]): Promise<Job> {
    return this.#use((backend) => backend.getJob(user, id, fields));
  }

  /** Answered at once only once the backend is direct (nothing pending before it). */
  getJobNow(user: string, id: string, fields?: string[]): Job | undefined {
    return this.#direct?.getJobNow?.(user, id, fields);
  }

  getJobs(user: string, filter: JobFilter, fields?: string[]): Promise<Job[]> {
    return this.#use((backend) => backend.getJobs(user, filter, fields));
  }

  subscribeStatus(listener: (job: Job) => void): () => void {
    this.#listeners.set(listener, this.#backend?.subscribeStatus(listener) ?? (() => {}));
    return () => {
      this.#listeners.get(listener)?.();
      this.#listeners.delete(listener);
    };
  }

  controlJob(
    user: string,
    id: string,
    op: JobOperation,
    signal: AbortSignal,
  ): Promise<ControlResult> {
    return this.#use((backend) => backend.controlJob(user, id, op, signal));
  }

  async *jobOutput(
    user: string,
    id: string,
    wanted: OutputRequest,
    signal: AbortSignal,
  ): AsyncIterable<OutputChunk> {
    yield* (this.#direct ?? await this.start()).jobOutput(user, id, wanted, signal);
  }

  async *jobResourceUtil(
    user: string,
    id: string,
    signal: AbortSignal,
  ): AsyncIterable<ResourceUtil> {
    yield* (this.#direct ?? await this.start()).jobResourceUtil(user, id, signal);
  }

  jobNetwork(user: string, id: string, signal: AbortSignal): Promise<JobNetwork> {
    return this.#use((backend) => backend.jobNetwork(user, id, signal));
  }

  clusterInfo(user: string, signal: AbortSignal): Promise<ClusterInfo> {
    return this.#use((backend) => backend.clusterInfo(user, signal));
  }

  setLoadBalancerNodes(nodes: LoadBalancerNode[], signal: AbortSignal): Promise<void> {
    return this.#use((backend) => backend.setLoadBalancerNodes(nodes, signal));
  }

  reloadConfig(signal: AbortSignal): Promise<ConfigReloadOutcome> {
    return this.#use((backend) => backend.reloadConfig(signal));
  }

  #use<T>(call: (backend: LauncherBackend) => Promise<T>): Promise<T> {
    return this.#direct ? call(this.#direct) : this.start().then(call);
  }

  /** Goes direct once the chain as it is now has settled (and nothing was added to it). */
  #settle(): void {
    const chain = this.#ready!;
    // A failure reaches every caller; it must not also be an unhandled rejection.
    chain.then((backend) => {
      if (this.#ready === chain) this.#direct = backend;
    }, () => {});
  }
}
