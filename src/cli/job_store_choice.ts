import { JobStore } from "../host/job_store/mod.ts";
import { type AsyncJobStore, asyncJobStore } from "../host/job_store/store_interface.ts";
import type { JsonLogger } from "../log/mod.ts";
import { redactUrl } from "../host/job_store/postgres/redact_url.ts";
import { exposedPasswordWarning } from "./exposed_password.ts";
import type { LauncherOptions } from "./launcher_options.ts";
import { importLazy } from "./lazy_modules.ts";
import type * as PostgresModule from "../host/job_store/postgres/mod.ts";

/** The store a host opened: SQLite alone, or PostgreSQL shared with other nodes. */
export type OpenedStore =
  | { kind: "sqlite"; store: AsyncJobStore }
  | {
    kind: "postgres";
    store: PostgresModule.PostgresJobStore;
  };

/**
 * Opens the job store `job-store-url` names: PostgreSQL (loaded only then, so a host on
 * SQLite does not pay for the driver) with this node's `node-id`, else the SQLite file
 * `<scratch-path>/jobs.sqlite` with group commit.
 */
export async function openJobStore(
  options: LauncherOptions,
  rekey: (key: string) => string,
  log: JsonLogger,
): Promise<OpenedStore> {
  const onListenerError = (error: unknown) => log.error("A job listener failed", { error });
  if (options.jobStoreUrl !== undefined) {
    const origin = options.origin["job-store-url"];
    const exposed = exposedPasswordWarning(options.jobStoreUrl, origin, options.configFile);
    if (exposed) log.warn(exposed, { key: origin, url: redactUrl(options.jobStoreUrl) });
    const { PostgresJobStore } = await importLazy<typeof PostgresModule>("postgresStore");
    const store = await PostgresJobStore.open({
      url: options.jobStoreUrl,
      nodeId: options.nodeId,
      expiryHours: options.jobExpiryHours,
      onListenerError,
      ...(options.jobStoreSchema ? { schema: options.jobStoreSchema } : {}),
    });
    return { kind: "postgres", store };
  }
  const sqlite = JobStore.open(`${options.scratchPath}/jobs.sqlite`, {
    expiryHours: options.jobExpiryHours,
    rekey,
    // One commit per event-loop turn; a write's promise resolves once it is committed.
    groupCommit: true,
    onListenerError,
  });
  return { kind: "sqlite", store: asyncJobStore(sqlite) };
}
