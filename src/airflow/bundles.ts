import { discoverPlugins } from "../sandbox/discovery.ts";
import { prepareInstanceDir } from "../sandbox/instance_directory.ts";
import { airflowInstanceKey } from "../sandbox/isolation.ts";
import type { Manifest } from "../sandbox/manifest.ts";
import { canonicalPath } from "../sandbox/canonical_path.ts";
import { expandPermissions } from "../sandbox/permissions.ts";

const SDK_DIR = new URL("../sdk", import.meta.url).pathname;

/** The task bundles (`kind: airflow` plugins) of a plugins directory, in name order. */
export async function findBundles(
  pluginsDir: string,
): Promise<{ bundles: Manifest[]; problems: string[] }> {
  const found = await discoverPlugins(pluginsDir);
  return {
    bundles: found.plugins.filter((plugin) => plugin.kind === "airflow"),
    problems: found.errors.map((error) => error.message),
  };
}

/**
 * The Worker permissions for running a bundle's task: the manifest's, expanded for the
 * instance its isolation level picks (shared, the DAG, or the DAG run), with a private
 * directory created for it.
 */
export async function bundlePermissions(
  bundle: Manifest,
  scratch: string,
  task: { dagId: string; runId: string },
): Promise<{ permissions: Deno.PermissionOptionsObject; instanceDir: string }> {
  const root = `${scratch}/airflow`;
  await prepareInstanceDir(root, `${root}/${instanceKey(bundle, task)}`);
  // The task sees the path it is granted: Deno compares permission paths as strings.
  const instanceDir = canonicalPath(`${root}/${instanceKey(bundle, task)}`);
  const permissions = expandPermissions(bundle, {
    pluginDir: bundle.dir,
    instanceDir,
    userHome: undefined,
    scratch: root,
    importDirs: Deno.build.standalone ? [] : [SDK_DIR],
  });
  return { permissions, instanceDir };
}

/**
 * Where under `<scratch>/airflow` a task's instance lives: `shared` (isolation none),
 * `<dag_id>` (namespace) or `<dag_id>/<run_id>` (session), names encoded so that no two
 * tasks' directories meet and no DAG lands in the directory every `none` bundle shares.
 */
export function instanceKey(bundle: Manifest, task: { dagId: string; runId: string }): string {
  return airflowInstanceKey(bundle.isolation, task);
}

/** Read-only permissions for listing a bundle's DAGs (no instance, nothing writable). */
export function listingPermissions(bundle: Manifest): Deno.PermissionOptionsObject {
  return { read: Deno.build.standalone ? [bundle.dir] : [bundle.dir, SDK_DIR] };
}
