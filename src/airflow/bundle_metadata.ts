import { AirflowTaskWorker } from "../sandbox/airflow_worker.ts";
import { importYaml } from "../sandbox/yaml_loader.ts";
import { findBundles, listingPermissions } from "./bundles.ts";

/** The wire-schema version this runtime speaks: the oldest with every field it reads. */
export const SUPERVISOR_SCHEMA_VERSION = "2026-06-16";

/** Every bundle's DAGs and task IDs, each bundle listed in a read-only Worker. */
export async function listAllTasks(pluginsDir: string): Promise<Record<string, string[]>> {
  const { bundles } = await findBundles(pluginsDir);
  const dags: Record<string, string[]> = {};
  for (const bundle of bundles) {
    const worker = new AirflowTaskWorker(
      listingPermissions(bundle),
      `${bundle.name}:list`,
      () => {},
    );
    try {
      for (const [dag, tasks] of Object.entries(await worker.list(bundle.entryPath))) {
        if (dags[dag]) {
          throw new Error(`DAG "${dag}" is defined by two bundles (again in "${bundle.name}")`);
        }
        dags[dag] = tasks;
      }
    } finally {
      worker.terminate();
    }
  }
  return dags;
}

/** The bundle metadata Airflow's packers read (`--airflow-metadata`), as YAML or JSON. */
export async function bundleMetadata(
  pluginsDir: string,
  version: string,
  format: "yaml" | "json",
): Promise<string> {
  const dags = await listAllTasks(pluginsDir);
  const metadata = {
    airflow_bundle_metadata_version: "1.0",
    sdk: { language: "typescript", version, supervisor_schema_version: SUPERVISOR_SCHEMA_VERSION },
    dags: Object.fromEntries(Object.entries(dags).map(([dag, tasks]) => [dag, { tasks }])),
  };
  if (format === "json") return JSON.stringify(metadata, null, 2) + "\n";
  const { stringify } = await importYaml();
  return stringify(metadata, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" });
}
