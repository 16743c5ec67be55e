import type {
  ClusterInfo,
  ConfigReloadStage,
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

/** What a ConfigReload reports: success, or the failing stage and why. */
export type ConfigReloadOutcome = { ok: true } | {
  ok: false;
  stage: ConfigReloadStage;
  message: string;
};

/**
 * What a Launcher session needs from the host. Calls are made on behalf of `user` (the
 * request's effective `username`, `"*"` for admins); job lookups throw a `LauncherError`
 * with JobNotFound when the job does not exist or the user may not see it.
 */
export interface LauncherBackend {
  /** Loads jobs and lets plugins recover; called for every Bootstrap request. */
  bootstrap(signal: AbortSignal): Promise<void>;
  submitJob(user: string, draft: JobDraft, signal: AbortSignal): Promise<Job>;
  getJob(user: string, id: string, fields?: string[]): Promise<Job>;
  /** `getJob` answered at once when the backend can (`undefined` when it cannot); throws like it. */
  getJobNow?(user: string, id: string, fields?: string[]): Job | undefined;
  getJobs(user: string, filter: JobFilter, fields?: string[]): Promise<Job[]>;
  /** Calls `listener` with a job after every change of its status or status message. */
  subscribeStatus(listener: (job: Job) => void): () => void;
  controlJob(
    user: string,
    id: string,
    op: JobOperation,
    signal: AbortSignal,
  ): Promise<ControlResult>;
  jobOutput(
    user: string,
    id: string,
    wanted: OutputRequest,
    signal: AbortSignal,
  ): AsyncIterable<OutputChunk>;
  jobResourceUtil(user: string, id: string, signal: AbortSignal): AsyncIterable<ResourceUtil>;
  jobNetwork(user: string, id: string, signal: AbortSignal): Promise<JobNetwork>;
  clusterInfo(user: string, signal: AbortSignal): Promise<ClusterInfo>;
  setLoadBalancerNodes(nodes: LoadBalancerNode[], signal: AbortSignal): Promise<void>;
  reloadConfig(signal: AbortSignal): Promise<ConfigReloadOutcome>;
}
