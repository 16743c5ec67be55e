/** The host's job store (docs/architecture.md): every job of every plugin, durable across restarts. */
export {
  type JobMeta,
  JobStore,
  type JobStoreDurability,
  type JobStoreOptions,
  type JobUpdateResult,
  type StoredJob,
} from "./job_store.ts";
