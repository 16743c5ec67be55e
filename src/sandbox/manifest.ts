import { SDK_MAJOR } from "../sdk/mod.ts";
import { type ManifestDocument, parseManifestYaml } from "./_manifest_yaml.ts";
import { checkPermissionEntry, PERMISSION_KINDS, type PermissionKind } from "./permission_rules.ts";
import { type EntryPath, normalizeEntry } from "./entry_path.ts";
import { type Fail, FieldReader } from "./_field_reader.ts";
import { PluginLoadError } from "./plugin_load_error.ts";
import { checkProgram } from "./run_programs.ts";

/** Isolation levels (DESIGN §4). */
export type IsolationLevel = "none" | "namespace" | "session";

/** A validated `plugin.yaml`, with absolute paths. */
export interface Manifest {
  name: string;
  version: string;
  kind: "launcher" | "airflow";
  entry: string;
  sdk: number;
  isolation: IsolationLevel;
  runAs: "host" | "session-user";
  /** Permission entries normalised (see `normalizeEntry`), placeholders unexpanded. */
  permissions: Record<PermissionKind, string[]>;
  /**
   * Run entries the manifest accepts although they run other programs by name (`/bin/sh`):
   * `allow_trampolines`, normalised. `check` and the host log report each one as a warning.
   */
  allowTrampolines: string[];
  limits: { memoryMb: number | undefined; requestTimeoutS: number | undefined };
  health: { intervalS: number | undefined; timeoutS: number | undefined };
  /** The plugin's folder (absolute). */
  dir: string;
  /** The entry module (absolute). */
  entryPath: string;
  /** The manifest file (absolute). */
  file: string;
}

const TOP_KEYS = [
  "name",
  "version",
  "kind",
  "entry",
  "sdk",
  "isolation",
  "run_as",
  "permissions",
  "limits",
  "health",
  "allow_trampolines",
];
const NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/**
 * Parses and validates a manifest. Every problem is a `PluginLoadError` naming the file,
 * the line and the field, so an administrator can fix it without guessing.
 */
export async function parseManifest(text: string, file: string): Promise<Manifest> {
  const fail: Fail = (message, field, line) => {
    throw new PluginLoadError(message, {
      file,
      ...(line === undefined ? {} : { line }),
      ...(field ? { field } : {}),
    });
  };
  const doc = parseManifestYaml(text) ?? await parseWithFullYaml(text, fail);
  const value = doc.value;
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    fail("a manifest must be a mapping of fields");
  }
  const reader = new FieldReader(value as Record<string, unknown>, "", doc.lineOf, fail);
  reader.refuseUnknown(TOP_KEYS);
  const manifest = readFields(reader, file.slice(0, file.lastIndexOf("/")) || "/", file, text);
  if (manifest.runAs === "session-user" && manifest.isolation !== "session") {
    reader.failAt(
      "run_as",
      `is session-user, which needs isolation: session (one user per instance), got "${manifest.isolation}"`,
    );
  }
  const homeEntry = PERMISSION_KINDS.find((kind) =>
    manifest.permissions[kind].some((entry) => entry.startsWith("${user_home}"))
  );
  if (manifest.runAs === "host" && homeEntry) {
    reader.child("permissions")!.failAt(
      homeEntry,
      "grants ${user_home} at run_as: host; a user's home holds links the user made, which the " +
        "runner would follow with the host's uid: use run_as: session-user",
    );
  }
  if (manifest.sdk !== SDK_MAJOR) {
    reader.failAt(
      "sdk",
      `says plugin "${manifest.name}" was written for SDK ${manifest.sdk}, this Launchbox supports SDK ${SDK_MAJOR}: ` +
        `rebuild the plugin against SDK ${SDK_MAJOR} or install a Launchbox that supports SDK ${manifest.sdk}`,
    );
  }
  return manifest;
}

/** The full YAML parser, loaded only for manifests outside the fast parser's subset. */
async function parseWithFullYaml(text: string, fail: Fail): Promise<ManifestDocument> {
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = await import("yaml");
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (node: unknown) => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? counter.linePos(range[0]).line : undefined;
  };
  const error = doc.errors[0];
  if (error) {
    fail(
      `invalid YAML: ${error.message.split("\n")[0]}`,
      undefined,
      counter.linePos(error.pos[0]).line,
    );
  }
  const lines = new Map<string, number>();
  const walk = (node: unknown, path: string) => {
    if (isMap(node)) {
      for (const item of node.items) {
        const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
        const keyPath = path ? `${path}.${key}` : key;
        const line = lineAt(item.key);
        if (line !== undefined) lines.set(keyPath, line);
        walk(item.value, keyPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const line = lineAt(item);
        if (line !== undefined) lines.set(`${path}[${i}]`, line);
      });
    }
  };
  walk(doc.contents, "");
  return { value: doc.toJS(), lineOf: (path) => lines.get(path) };
}

function readFields(reader: FieldReader, dir: string, file: string, text: string): Manifest {
  const name = reader.string("name", true)!;
  if (!NAME.test(name)) {
    reader.failAt("name", `must be lower-case letters, digits, "-" or "_", got "${name}"`);
  }
  const version = reader.version(text);
  const entry = reader.string("entry", true)!;
  const permissions = readPermissions(reader.child("permissions"));
  if (entry.startsWith("/") || entry.split("/").includes("..")) {
    reader.failAt("entry", `must be a path inside the plugin folder, got "${entry}"`);
  }
  return {
    name,
    version,
    kind: reader.oneOf("kind", ["launcher", "airflow"], "launcher"),
    entry,
    sdk: reader.integer("sdk", true)!,
    isolation: reader.oneOf("isolation", ["none", "namespace", "session"], "session"),
    runAs: reader.oneOf("run_as", ["host", "session-user"], "host"),
    permissions,
    allowTrampolines: readTrampolines(reader, permissions.run, dir),
    limits: readLimits(reader.child("limits")),
    health: readHealth(reader.child("health")),
    dir,
    entryPath: `${dir}/${entry}`,
    file,
  };
}

function readPermissions(reader: FieldReader | undefined): Record<PermissionKind, string[]> {
  const permissions = Object.fromEntries(
    PERMISSION_KINDS.map((kind) => [kind, [] as string[]]),
  ) as Record<
    PermissionKind,
    string[]
  >;
  if (!reader) return permissions;
  reader.refuseUnknown(PERMISSION_KINDS);
  for (const kind of PERMISSION_KINDS) {
    const entries = reader.stringList(kind);
    entries.forEach((entry, index) => {
      const problem = checkPermissionEntry(kind, entry);
      if (problem) {
        reader.failAt(kind, `entry ${index + 1} "${entry}" ${problem}`, `${kind}[${index}]`);
      }
    });
    permissions[kind] = kind === "env" || kind === "net" ? entries : entries.map(normalized);
  }
  return permissions;
}

function normalized(entry: string): string {
  return (normalizeEntry(entry) as EntryPath).normal;
}

/**
 * `allow_trampolines`: run entries accepted although they run other programs by name.
 * Each must also be in `permissions.run`; every other run entry that can be resolved now
 * (absolute, or inside the plugin folder) is checked with `checkProgram`.
 */
function readTrampolines(reader: FieldReader, run: string[], dir: string): string[] {
  const allowed = reader.stringList("allow_trampolines").map((entry, index) => {
    const parsed = normalizeEntry(entry);
    const normal = typeof parsed === "string" ? entry : parsed.normal;
    if (!run.includes(normal)) {
      reader.failAt(
        "allow_trampolines",
        `entry ${index + 1} "${entry}" is not in permissions.run`,
        `allow_trampolines[${index}]`,
      );
    }
    return normal;
  });
  run.forEach((entry, index) => {
    if (entry.startsWith("${") && !entry.startsWith("${plugin_dir}")) return;
    const path = entry.replace("${plugin_dir}", dir);
    const { problem } = checkProgram(path, allowed.includes(entry));
    if (problem) {
      reader.child("permissions")!.failAt(
        "run",
        `entry ${index + 1} "${entry}" ${problem}`,
        `run[${index}]`,
      );
    }
  });
  return allowed;
}

function readLimits(reader: FieldReader | undefined): Manifest["limits"] {
  reader?.refuseUnknown(["memory_mb", "request_timeout_s"]);
  return {
    memoryMb: reader?.integer("memory_mb", false, 64),
    requestTimeoutS: reader?.integer("request_timeout_s", false, 1),
  };
}

function readHealth(reader: FieldReader | undefined): Manifest["health"] {
  reader?.refuseUnknown(["interval_s", "timeout_s"]);
  const health = {
    intervalS: reader?.integer("interval_s", false, 1),
    timeoutS: reader?.integer("timeout_s", false, 1),
  };
  if (
    health.intervalS !== undefined && health.timeoutS !== undefined &&
    health.timeoutS >= health.intervalS
  ) {
    reader!.failAt("timeout_s", `must be shorter than interval_s (${health.intervalS})`);
  }
  return health;
}
