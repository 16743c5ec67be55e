import { parseArgs } from "node:util";
import { instanceKey as airflowInstanceDirKey } from "../airflow/bundles.ts";
import { defaultPluginsDir, discoverPlugins } from "../sandbox/discovery.ts";
import { instanceDirFor, instanceKeyFor } from "../sandbox/isolation.ts";
import type { Manifest } from "../sandbox/manifest.ts";
import { expandPermissions } from "../sandbox/permissions.ts";
import { PERMISSION_KINDS } from "../sandbox/permission_rules.ts";
import { PluginLoadError } from "../sandbox/plugin_load_error.ts";
import { UserDirectory } from "../sandbox/users.ts";
import { pluginRisks } from "./check_risks.ts";
import { loadProblems } from "./check_load.ts";
import { checkAsUser, renderUserChecks } from "./check_user.ts";
import { writeStdout } from "./exit.ts";
import { UsageError } from "./usage_error.ts";

const EXAMPLE = {
  user: "alice",
  tenant: "staff",
  home: "/home/alice",
  scratch: "<scratch>/instances",
  dagId: "example_dag",
  runId: "manual_1",
};

/**
 * `launchbox check [--plugins-dir D] [--json] [--user NAME]`: validates every manifest,
 * loads every valid plugin's module in a sandbox as the host would (src/cli/check_load.ts),
 * prints a table of plugins and the permissions an instance of each would get, and every
 * problem found; with `--user`, whether each session-user plugin's runner could start as
 * that user (src/cli/check_user.ts). Exits 1 when there is any, so it can gate a deployment.
 */
export async function runCheck(args: string[]): Promise<number> {
  const { values } = parse(args);
  const dir = values["plugins-dir"] ?? defaultPluginsDir();
  let found;
  try {
    found = await discoverPlugins(dir);
  } catch (error) {
    if (error instanceof PluginLoadError) throw new UsageError(error.message);
    throw error;
  }
  const plugins = found.plugins.flatMap((manifest) => {
    try {
      return [{ manifest, permissions: examplePermissions(manifest) }];
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      found.errors.push(new PluginLoadError(error.message, { file: manifest.file }));
      return [];
    }
  });
  const loads = await loadProblems(plugins.map(({ manifest }) => manifest));
  const errors = [...found.errors, ...loads.map((problem) => problem.error)];
  const asUser = values.user;
  const userChecks = asUser === undefined
    ? []
    : checkAsUser(plugins.map(({ manifest }) => manifest), asUser, new UserDirectory());
  const userProblems = userChecks.filter((check) => check.outcome === "problem").length;
  if (values.json) {
    const json = errors.map((e) => ({
      file: e.file,
      line: e.line ?? null,
      field: e.field ?? null,
      message: e.message,
    }));
    writeStdout(
      JSON.stringify(
        {
          dir: found.dir,
          plugins: plugins.map(toJson),
          errors: json,
          ...(asUser === undefined ? {} : { user: { name: asUser, checks: userChecks } }),
        },
        null,
        2,
      ) + "\n",
    );
  } else {
    const users = asUser === undefined ? "" : renderUserChecks(asUser, userChecks);
    writeStdout(render(found.dir, plugins, found.errors) + renderLoads(loads) + users);
  }
  return errors.length + userProblems > 0 ? 1 : 0;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        "plugins-dir": { type: "string" },
        json: { type: "boolean" },
        user: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(
      `${
        (error as Error).message
      } (usage: launchbox check [--plugins-dir D] [--json] [--user NAME])`,
    );
  }
}

/**
 * The permissions an instance would get: for an example user alice in tenant staff, or
 * for an Airflow bundle, an example DAG run.
 */
function examplePermissions(manifest: Manifest): Deno.PermissionOptionsObject {
  // Bundles' instances live under <scratch>/airflow/, as src/airflow/bundles.ts lays out.
  const airflow = manifest.kind === "airflow";
  const scratch = airflow ? "<scratch>/airflow" : EXAMPLE.scratch;
  const instanceDir = airflow
    ? `${scratch}/${airflowInstanceDirKey(manifest, EXAMPLE)}`
    : instanceDirFor(scratch, instanceKeyFor(manifest.isolation, EXAMPLE));
  return expandPermissions(manifest, {
    pluginDir: manifest.dir,
    instanceDir,
    userHome: manifest.isolation === "session" ? EXAMPLE.home : undefined,
    scratch,
  });
}

function toJson(
  { manifest, permissions }: { manifest: Manifest; permissions: Deno.PermissionOptionsObject },
) {
  const { name, version, kind, isolation, runAs, entryPath, file, limits, health } = manifest;
  return {
    name,
    version,
    kind,
    isolation,
    runAs,
    entry: entryPath,
    manifest: file,
    limits,
    health,
    permissions,
    risks: pluginRisks(manifest),
  };
}

function render(
  dir: string,
  plugins: { manifest: Manifest; permissions: Deno.PermissionOptionsObject }[],
  errors: PluginLoadError[],
): string {
  const rows = [["NAME", "VERSION", "KIND", "ISOLATION", "RUN AS"]];
  for (const { manifest: m } of plugins) {
    rows.push([m.name, m.version, m.kind, m.isolation, m.runAs]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = [`Plugins in ${dir}`, ""];
  for (const row of rows) {
    lines.push(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
  }
  for (const { manifest, permissions } of plugins) {
    const who = manifest.kind === "airflow"
      ? `DAG ${EXAMPLE.dagId} run ${EXAMPLE.runId}`
      : `user ${EXAMPLE.user} (tenant ${EXAMPLE.tenant})`;
    lines.push("", `${manifest.name}: an instance for ${who} may`);
    for (const kind of PERMISSION_KINDS) {
      const granted = permissions[kind];
      lines.push(`  ${kind.padEnd(5)} ${Array.isArray(granted) ? granted.join(", ") : "nothing"}`);
    }
    for (const risk of pluginRisks(manifest)) lines.push(`  risk  ${risk.message}`);
  }
  if (errors.length > 0) {
    const files = new Set(errors.map((error) => error.file)).size;
    const problems = `${errors.length} problem${errors.length === 1 ? "" : "s"}`;
    lines.push("", `${files} invalid manifest${files === 1 ? "" : "s"} (${problems}):`);
    for (const error of errors) lines.push(`  ${error.message}`);
  }
  return lines.join("\n") + "\n";
}

function renderLoads(loads: { plugin: string; error: PluginLoadError }[]): string {
  if (loads.length === 0) return "";
  const lines = ["", `${loads.length} plugin${loads.length === 1 ? "" : "s"} cannot load:`];
  for (const { plugin, error } of loads) lines.push(`  ${plugin}: ${error.message}`);
  return lines.join("\n") + "\n";
}
