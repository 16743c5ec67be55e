import type { ConfigReloadOutcome, LauncherBackend } from "../launcher/backend.ts";
import type { JobDraft } from "../launcher/_job_fields.ts";
import type { JsonLogger } from "../log/mod.ts";
import {
  type Clock,
  type ClusterInfo,
  ConfigReloadError,
  type ControlResult,
  ErrorCode,
  type Job,
  type JobFilter,
  type JobNetwork,
  type JobOperation,
  type JobUpdate,
  LauncherError,
  type LoadBalancerNode,
  type OutputChunk,
  REQUIRED_STATUS,
} from "../sdk/mod.ts";
import { IDEMPOTENCY_TAG_PREFIX } from "./constants.ts";
import { withDeadline } from "./deadline.ts";
import type { InstancePool, PluginInstance } from "./instance_pool.ts";
import type { AsyncJobStore } from "./job_store/store_interface.ts";
import { JobRouting, type JobWork } from "./job_routing.ts";
import { JobStreams } from "./job_streams.ts";
import { localNetwork } from "./local_network.ts";
import type { CrashNotes } from "./crash_notes.ts";
import { type CrashReconciler, hostCrashReconciler } from "./crash_reconciler.ts";
import { Recovery } from "./recovery.ts";
import { jobLimitsForProfile, limitsForProfile } from "./profile_limits.ts";
import type { ResolvedProfile } from "./user_profiles.ts";

/** Options for {@linkcode LauncherService}. */
export interface LauncherServiceOptions {
  pluginName: string;
  store: AsyncJobStore;
  pool: InstancePool;
  log: JsonLogger;
  clock: Clock;
  requestTimeoutMs: number;
  /** Re-reads the host's own configuration (plugin config file); throws on failure. */
  reloadHostConfig?: () => Promise<void>;
  /** The user profile of a user (launcher.<name>.profiles.conf); none when left out. */
  profileOf?: (user: string) => ResolvedProfile;
  /** Told how long each plugin call took, failed or not (cluster interaction latency). */
  onPluginCall?: (seconds: number) => void;
  /** Where work on another node's job may run; every job is this node's when absent. */
  routing?: JobRouting;
  /** Told the Launcher's node list (SetLoadBalancerNodes), before the plugins are. */
  onLoadBalancerNodes?: (nodes: LoadBalancerNode[]) => Promise<void>;
  /** Keeps each instance's last crash, so jobs a restart fails still name it. */
  crashNotes?: CrashNotes;
}

/**
 * The host's answer to every Launcher request: reads come from the job store, scheduler
 * work goes to the plugin instance that owns the job.
 */
export class LauncherService implements LauncherBackend {
  readonly #o: LauncherServiceOptions;
  readonly #streams: JobStreams;
  readonly #recovery: Recovery;
  readonly #crashes: CrashReconciler;
  readonly #routing: JobRouting;

  constructor(options: LauncherServiceOptions) {
    this.#o = options;
    this.#routing = options.routing ?? new JobRouting({ mode: "node-local" });
    this.#streams = new JobStreams({
      store: options.store,
      instanceFor: (job, action, work) => this.#instanceOf(job, action, work),
      routing: this.#routing,
      pluginName: options.pluginName,
    });
    this.#recovery = new Recovery({
      liveJobsByInstance: () => options.store.liveJobsByInstance(),
      recover: (key, jobs) => this.#recover(key, jobs),
      log: options.log,
    });
    this.#crashes = hostCrashReconciler({
      ...options,
      log: options.log.with({ plugin: options.pluginName }),
      // No Launcher request waits on a recover after a crash: only its deadline bounds it.
      recover: (instance, jobs) =>
        this.#call(
          "recover",
          new AbortController().signal,
          (s) => instance.recover!(jobs, { signal: s }),
        ),
    });
    options.pool.onCrash((key, reason) => void this.#crashes.crashed(key, reason));
  }

  /** Settles once the jobs of every instance that crashed so far are reconciled. */
  crashesReconciled(): Promise<void> {
    return this.#crashes.settled();
  }

  /**
   * Answered without waiting for plugin instances: call {@linkcode recoverInstances} once
   * the answer is out. Requests for an instance wait until it has its jobs back.
   */
  bootstrap(_signal: AbortSignal): Promise<void> {
    this.#recovery.expect();
    return Promise.resolve();
  }

  /**
   * Hands every instance with live jobs its jobs (`recover`), one instance after another;
   * settles when all are done. Runs once; a failed instance is logged and served anyway.
   */
  recoverInstances(): Promise<void> {
    return this.#recovery.start();
  }

  async submitJob(user: string, draft: JobDraft, signal: AbortSignal): Promise<Job> {
    const owner = checkSubmission(user, draft);
    if (this.#o.profileOf) {
      const limits = jobLimitsForProfile(draft.resourceLimits, this.#o.profileOf(owner), owner);
      draft = { ...draft, ...(limits ? { resourceLimits: limits } : {}) };
    }
    const idempotencyKey = draft.tags?.find((tag) => tag.startsWith(IDEMPOTENCY_TAG_PREFIX))
      ?.slice(IDEMPOTENCY_TAG_PREFIX.length);
    if (idempotencyKey) {
      const existing = await this.#o.store.findByIdempotencyKey(owner, idempotencyKey);
      if (existing) return existing;
    }
    const instanceKey = this.#o.pool.keyFor(owner);
    const instance = await this.#instance(instanceKey, owner);
    const now = this.#o.clock.now().toISOString();
    // Committed before the scheduler hears of it, so no job runs that the store could lose.
    const job = await this.#o.store.insert(
      { ...draft, user: owner, status: "Pending", submissionTime: now, lastUpdateTime: now },
      { instanceKey, plugin: this.#o.pluginName, ...(idempotencyKey ? { idempotencyKey } : {}) },
    );
    let latest: Job | undefined;
    try {
      const change = await this.#call(
        "submitJob",
        signal,
        (s) => instance.submitJob(job, { signal: s }),
      );
      // Acknowledged only once what the plugin said is committed too (writes resolve then).
      if (change) latest = await applySubmitChange(this.#o.store, job.id, change);
    } catch (error) {
      await this.#o.store.remove(job.id).catch(() => {});
      throw error;
    }
    return latest ?? (await this.#o.store.get(job.id))?.job ?? job;
  }

  async getJob(user: string, id: string, fields?: string[]): Promise<Job> {
    const job = await this.#o.store.getVisible(user, id);
    if (!job) throw notFound(id, user);
    return fields ? project(job, fields) : job;
  }

  getJobNow(user: string, id: string, fields?: string[]): Job | undefined {
    const store = this.#o.store;
    if (!store.peekVisible) return undefined;
    const job = store.peekVisible(user, id);
    if (job === null) return undefined;
    if (!job) throw notFound(id, user);
    return fields ? project(job, fields) : job;
  }

  getJobs(user: string, filter: JobFilter, fields?: string[]): Promise<Job[]> {
    return this.#o.store.list(user, filter, fields);
  }

  subscribeStatus(listener: (job: Job) => void): () => void {
    return this.#o.store.subscribe(listener);
  }

  async controlJob(
    user: string,
    id: string,
    op: JobOperation,
    signal: AbortSignal,
  ): Promise<ControlResult> {
    const job = await this.getJob(user, id);
    const required = REQUIRED_STATUS[op];
    if (job.status !== required) {
      throw new LauncherError(
        ErrorCode.InvalidJobState,
        `Job must be ${required.toLowerCase()} to ${op} it; job ${id} is ${job.status}`,
      );
    }
    const stored = await this.#o.store.get(id);
    if (!stored) throw notFound(id, user);
    if (!this.#routing.isLocal(stored)) {
      return await this.#routing.controlElsewhere(stored, op, user);
    }
    const instance = await this.#instanceOf(job, `${op} (ControlJob)`);
    return await this.#call(
      "controlJob",
      signal,
      (s) => instance.controlJob(job, op, { signal: s }),
    );
  }

  async *jobOutput(
    user: string,
    id: string,
    wanted: "stdout" | "stderr" | "both",
    signal: AbortSignal,
  ): AsyncIterable<OutputChunk> {
    yield* this.#streams.output(user, await this.getJob(user, id), wanted, signal);
  }

  async *jobResourceUtil(user: string, id: string, signal: AbortSignal) {
    const job = await this.getJob(user, id);
    if (job.status !== "Running") {
      throw new LauncherError(ErrorCode.JobNotRunning, `Job ${id} is not running`);
    }
    yield* this.#streams.resources(user, job, signal);
  }

  async jobNetwork(user: string, id: string, signal: AbortSignal): Promise<JobNetwork> {
    const job = await this.getJob(user, id);
    const instance = await this.#instanceOf(job, "read the network of");
    if (!instance.jobNetwork) return localNetwork(job.host);
    return await this.#call("jobNetwork", signal, (s) => instance.jobNetwork!(job, { signal: s }));
  }

  async clusterInfo(user: string, signal: AbortSignal): Promise<ClusterInfo> {
    const instance = await this.#instance(this.#o.pool.keyFor(user), user);
    const info = await this.#call(
      "clusterInfo",
      signal,
      (s) => instance.clusterInfo({ user, signal: s }),
    );
    if (!this.#o.profileOf || user === "*") return info;
    const limits = limitsForProfile(info.resourceLimits, this.#o.profileOf(user));
    return { ...info, ...(limits ? { resourceLimits: limits } : {}) };
  }

  async setLoadBalancerNodes(nodes: LoadBalancerNode[], signal: AbortSignal): Promise<void> {
    await this.#o.onLoadBalancerNodes?.(nodes);
    for (const instance of await this.#o.pool.running()) {
      if (!instance.syncNodes) continue;
      await this.#call("syncNodes", signal, (s) => instance.syncNodes!(nodes, { signal: s }));
    }
  }

  async reloadConfig(signal: AbortSignal): Promise<ConfigReloadOutcome> {
    try {
      await this.#o.reloadHostConfig?.();
      for (const instance of await this.#o.pool.running()) {
        if (!instance.reloadConfig) continue;
        await this.#call("reloadConfig", signal, (s) => instance.reloadConfig!({ signal: s }));
      }
      return { ok: true };
    } catch (error) {
      if (error instanceof ConfigReloadError) {
        return { ok: false, stage: error.stage, message: error.message };
      }
      return {
        ok: false,
        stage: "unknown",
        message: error instanceof Error ? error.message : String(error),
      };
    }
  }

  /** Removes terminal jobs past their expiry; returns how many went. */
  async expireJobs(): Promise<number> {
    return (await this.#o.store.expire()).length;
  }

  /**
   * Hands jobs this node took over from a dead one (a shared scheduler's) to their
   * instances, as a restart would, so they keep being tracked.
   */
  async adoptJobs(ids: readonly string[]): Promise<void> {
    const byKey = new Map<string, Job[]>();
    for (const id of ids) {
      const stored = await this.#o.store.get(id);
      if (!stored) continue;
      byKey.set(stored.instanceKey, [...byKey.get(stored.instanceKey) ?? [], stored.job]);
    }
    for (const [key, jobs] of byKey) await this.#recover(key, jobs);
  }

  /** Start-up: the instance takes its jobs back, or they fail saying why it cannot. */
  #recover(key: string, jobs: Job[]): Promise<boolean> {
    return this.#crashes.afterRestart(key, jobs);
  }

  /** The instance, once it has recovered its jobs if it was doing so. */
  async #instance(key: string, user: string): Promise<PluginInstance> {
    await this.#recovery.ready(key);
    return await this.#o.pool.get(key, user);
  }

  /** The instance that drives `job`, once this node may `action` it (see JobRouting). */
  async #instanceOf(job: Job, action: string, work?: JobWork): Promise<PluginInstance> {
    const stored = await this.#o.store.get(job.id);
    if (!stored) throw notFound(job.id, job.user ?? "*");
    await this.#routing.requireLocal(stored, action, work);
    return await this.#instance(stored.instanceKey, job.user ?? "*");
  }

  #call<T>(
    what: string,
    signal: AbortSignal,
    call: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const label = `Plugin "${this.#o.pluginName}" ${what}`;
    const called = withDeadline(call, { signal, timeoutMs: this.#o.requestTimeoutMs, what: label });
    const observe = this.#o.onPluginCall;
    if (!observe) return called;
    const started = performance.now();
    return called.finally(() => observe((performance.now() - started) / 1000));
  }
}

/**
 * Applies what `submitJob` returned, in one write when it can, and gives the job as it is
 * then (none when the change was empty or the job is gone). A fast job may already have
 * reported a later status through `ctx.jobs`, and a refused status (Running after Finished)
 * refuses the whole change: then the fields go in alone, so the output paths and pid are kept.
 */
async function applySubmitChange(
  store: AsyncJobStore,
  id: string,
  change: JobUpdate,
): Promise<Job | undefined> {
  if (Object.keys(change).length === 0) return undefined;
  const result = await store.update(id, change);
  if (!result?.rejected) return result?.job;
  const { status: _status, statusMessage: _message, ...fields } = change;
  if (Object.keys(fields).length === 0) return result.job;
  return (await store.update(id, fields))?.job;
}

function notFound(id: string, user: string): LauncherError {
  return new LauncherError(ErrorCode.JobNotFound, `Job ${id} could not be found for user ${user}`);
}

/** Checks a submission and returns the job's owner. */
function checkSubmission(user: string, draft: JobDraft): string {
  const invalid = (message: string) => new LauncherError(ErrorCode.InvalidRequest, message);
  if (user !== "*" && draft.user && draft.user !== user) {
    throw invalid(`Job user "${draft.user}" does not match the requesting user "${user}"`);
  }
  const owner = draft.user || (user === "*" ? "" : user);
  if (!owner) throw invalid('User must not be empty: an admin ("*") submission must set job.user');
  if (draft.command && draft.exe) throw invalid("Job must set either command or exe, not both");
  if (!draft.command && !draft.exe && !draft.container) {
    throw invalid("Job must set command or exe (or a container)");
  }
  return owner;
}

/** Only the listed fields of a job, and always its `id`. */
export function project(job: Job, fields: readonly string[]): Job {
  const record = job as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { id: job.id };
  for (const field of fields) if (record[field] !== undefined) out[field] = record[field];
  return out as unknown as Job;
}
