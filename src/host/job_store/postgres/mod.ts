/** The job store on PostgreSQL for load-balanced Launcher nodes (issue #14). */
export {
  type PgStoredJob,
  PostgresJobStore,
  type PostgresJobStoreOptions,
} from "./postgres_job_store.ts";
export { type NodeLease, NodeRegistry, type NodeRegistryOptions } from "./node_registry.ts";
export { failOver, type FailoverPolicy, type FailoverResult, nodeLostMessage } from "./failover.ts";
export { NodeMembership, type NodeMembershipOptions } from "./node_membership.ts";
export { PG_SCHEMA_VERSION } from "./_schema.ts";
export { redactUrl } from "./redact_url.ts";
export {
  type NodeCall,
  NodeChannel,
  type NodeChannelOptions,
  type NodeReply,
  type NodeStreamEnd,
  type NodeStreamOpen,
  type NodeStreamOptions,
} from "./node_channel.ts";
export { isStoreFailure, type StoreFailureKind, StoreHealth } from "./store_health.ts";
