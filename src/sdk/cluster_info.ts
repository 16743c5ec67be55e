import type { JobConfig, PlacementConstraint, ResourceLimit } from "./job.ts";

/** A named set of resource limits users can pick. */
export interface ResourceProfile {
  name: string;
  displayName?: string;
  limits?: ResourceLimit[];
  queue?: string;
  placementConstraints?: PlacementConstraint[];
}

/**
 * What a cluster offers, as GetClusterInfo reports it. `supportsContainers` defaults to
 * whether `images` is non-empty; absent lists are sent as `[]` where the protocol wants them.
 *
 * @example
 * ```ts
 * import type { ClusterInfo } from "./cluster_info.ts";
 * const info: ClusterInfo = {
 *   queues: ["default", "gpu"],
 *   defaultQueue: "default",
 *   resourceLimits: [{ type: "memory", maxValue: "8192", defaultValue: "1024" }],
 * };
 * ```
 */
export interface ClusterInfo {
  supportsContainers?: boolean;
  config?: JobConfig[];
  placementConstraints?: PlacementConstraint[];
  queues?: string[];
  defaultQueue?: string;
  resourceLimits?: ResourceLimit[];
  images?: string[];
  defaultImage?: string;
  allowUnknownImages?: boolean;
  resourceProfiles?: ResourceProfile[];
  containersUseHostNetwork?: boolean;
}
