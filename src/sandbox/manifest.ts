import { type Fail, FieldReader } from "./_field_reader.ts";
import { SDK_MAJOR } from "../sdk/mod.ts";
import { type ManifestDocument, parseManifestYaml } from "./_manifest_yaml.ts";
import { checkPermissionEntry, PERMISSION_KINDS, type PermissionKind } from "./permission_rules.ts";
import { normalizeEntry } from "./entry_path.ts";
import { PluginLoadError } from "./plugin_load_error.ts";
import { checkProgram } from "./run_programs.ts";
import { importYaml } from "./yaml_loader.ts";

/** Isolation levels (docs/architecture.md). */
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
  /**
   * `cluster`: where a load-balanced cluster may act on the plugin's jobs.
   * `shared-scheduler`: any node can drive them (slurm), a survivor adopts them;
   * `node-local` (default): only the node that submitted them, they die with it.
   */
  cluster: "shared-scheduler" | "node-local";
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
  "cluster",
];
const NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/** Runs one field's read; a problem is kept and the fallback used instead. */
type Attempt = <T>(read: () => T, fallback: T) => T;

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
  // Each field is read on its own, so one run reports every bad field of the manifest.
  const problems: PluginLoadError[] = [];
  const attempt: Attempt = (read, fallback) => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof PluginLoadError)) throw error;
      problems.push(error);
      return fallback;
    }
  };
  attempt(() => reader.refuseUnknown(TOP_KEYS), undefined);
  const dir = file.slice(0, file.lastIndexOf("/")) || "/";
  const manifest = readFields(reader, { dir, file, text, attempt });
  // In the file's order, whatever order the fields were read in.
  problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  const [first, ...others] = problems;
  if (first) {
    first.related.push(...others);
    throw first;
  }
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
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = await importYaml();
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

function readFields(
  reader: FieldReader,
  { dir, file, text, attempt }: { dir: string; file: string; text: string; attempt: Attempt },
): Manifest {
  const name = attempt(() => {
    const name = reader.string("name", true)!;
    if (!NAME.test(name)) {
      reader.failAt("name", `must be lower-case letters, digits, "-" or "_", got "${name}"`);
    }
    return name;
  }, "");
  const version = attempt(() => reader.version(text), "");
  const entry = attempt(() => {
    const entry = reader.string("entry", true)!;
    if (entry.startsWith("/") || entry.split("/").includes("..")) {
      reader.failAt("entry", `must be a path inside the plugin folder, got "${entry}"`);
    }
    return entry;
  }, "");
  const permissions = readPermissions(
    attempt(() => reader.child("permissions"), undefined),
    attempt,
  );
  const none = { memoryMb: undefined, requestTimeoutS: undefined };
  return {
    name,
    version,
    kind: attempt(() => reader.oneOf("kind", ["launcher", "airflow"], "launcher"), "launcher"),
    entry,
    sdk: attempt(() => reader.integer("sdk", true)!, SDK_MAJOR),
    isolation: attempt(
      () => reader.oneOf("isolation", ["none", "namespace", "session"], "session"),
      "session",
    ),
    runAs: attempt(() => reader.oneOf("run_as", ["host", "session-user"], "host"), "host"),
    cluster: attempt(
      () => reader.oneOf("cluster", ["shared-scheduler", "node-local"], "node-local"),
      "node-local",
    ),
    permissions,
    allowTrampolines: attempt(() => readTrampolines(reader, permissions.run, dir), []),
    limits: attempt(() => readLimits(reader.child("limits")), none),
    health: attempt(() => readHealth(reader.child("health")), {
      intervalS: undefined,
      timeoutS: undefined,
    }),
    dir,
    entryPath: `${dir}/${entry}`,
    file,
  };
}

function readPermissions(
  reader: FieldReader | undefined,
  attempt: Attempt,
): Record<PermissionKind, string[]> {
  const permissions = Object.fromEntries(
    PERMISSION_KINDS.map((kind) => [kind, [] as string[]]),
  ) as Record<
    PermissionKind,
    string[]
  >;
  if (!reader) return permissions;
  attempt(() => reader.refuseUnknown(PERMISSION_KINDS), undefined);
  for (const kind of PERMISSION_KINDS) {
    const entries = attempt(() => reader.stringList(kind), []);
    entries.forEach((entry, index) => {
      const problem = checkPermissionEntry(kind, entry);
      if (problem) {
        attempt(() => reader.failAt(`${kind}[${index}]`, `"${entry}" ${problem}`), undefined);
      }
    });
    const names = kind === "env" || kind === "net" || kind === "sys";
    permissions[kind] = names ? entries : entries.map(normalized);
  }
  return permissions;
}

/** The normalised entry; one the rules refused (already reported) is kept as written. */
function normalized(entry: string): string {
  const parsed = normalizeEntry(entry);
  return typeof parsed === "string" ? entry : parsed.normal;
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
      reader.failAt(`allow_trampolines[${index}]`, `"${entry}" is not in permissions.run`);
    }
    return normal;
  });
  run.forEach((entry, index) => {
    if (entry.startsWith("${") && !entry.startsWith("${plugin_dir}")) return;
    const path = entry.replace("${plugin_dir}", dir);
    const { problem } = checkProgram(path, allowed.includes(entry));
    if (problem) {
      reader.child("permissions")!.failAt(`run[${index}]`, `"${entry}" ${problem}`);
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
