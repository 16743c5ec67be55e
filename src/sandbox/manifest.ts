import { SDK_MAJOR } from "../sdk/mod.ts";
import { type ManifestDocument, parseManifestYaml } from "./_manifest_yaml.ts";
import { checkPermissionEntry, PERMISSION_KINDS, type PermissionKind } from "./permission_rules.ts";
import { PluginLoadError } from "./plugin_load_error.ts";

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
  /** Permission entries as written, placeholders unexpanded. */
  permissions: Record<PermissionKind, string[]>;
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
];
const NAME = /^[a-z][a-z0-9_-]{0,62}$/;

type Fail = (message: string, field?: string, line?: number) => never;

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
    permissions: readPermissions(reader.child("permissions")),
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
        reader.failAt(`${kind}[${index}]`, `"${entry}" ${problem}`);
      }
    });
    permissions[kind] = entries;
  }
  return permissions;
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

/** Typed reads of one mapping, failing with the field's path and line. */
class FieldReader {
  constructor(
    readonly map: Record<string, unknown>,
    readonly path: string,
    readonly lineOf: (path: string) => number | undefined,
    readonly fail: Fail,
  ) {}

  failAt(key: string, message: string, field = key): never {
    const full = `${this.path}${field}`;
    return this.fail(`field "${full}" ${message}`, full, this.lineOf(`${this.path}${key}`));
  }

  refuseUnknown(known: readonly string[]): void {
    for (const key of Object.keys(this.map)) {
      if (!known.includes(key)) {
        const full = `${this.path}${key}`;
        this.fail(`unknown field "${full}" (known: ${known.join(", ")})`, full, this.lineOf(full));
      }
    }
  }

  string(key: string, required: boolean): string | undefined {
    const value = this.map[key];
    if (value === undefined || value === null) {
      return required ? this.failAt(key, "is required") : undefined;
    }
    if (typeof value !== "string") {
      this.failAt(key, `must be a string, got ${JSON.stringify(value)}`);
    }
    return value as string;
  }

  /** The version, refused when YAML read it as a number (`1.10` becomes 1.1). */
  version(text: string): string {
    const value = this.map.version;
    if (typeof value === "number") {
      const line = text.split(/\r?\n/)[(this.lineOf("version") ?? 0) - 1] ?? "";
      const written = /^version:\s*([^\s#]+)/.exec(line)?.[1] ?? String(value);
      this.failAt(
        "version",
        `must be a quoted string: YAML reads ${written} as the number ${value}; write version: "${written}"`,
      );
    }
    return this.string("version", true)!;
  }

  integer(key: string, required: boolean, min = 0): number | undefined {
    const value = this.map[key];
    if (value === undefined || value === null) {
      return required ? this.failAt(key, "is required") : undefined;
    }
    if (!Number.isInteger(value) || (value as number) < min) {
      this.failAt(key, `must be a whole number >= ${min}, got ${JSON.stringify(value)}`);
    }
    return value as number;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(key, false) ?? fallback;
    if (!allowed.includes(value as T)) {
      this.failAt(key, `must be one of ${allowed.join(", ")}, got "${value}"`);
    }
    return value as T;
  }

  stringList(key: string): string[] {
    const value = this.map[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
      return this.failAt(key, "must be a list of strings");
    }
    return value;
  }

  child(key: string): FieldReader | undefined {
    const value = this.map[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "object" || Array.isArray(value)) {
      return this.failAt(key, "must be a mapping");
    }
    return new FieldReader(
      value as Record<string, unknown>,
      `${this.path}${key}.`,
      this.lineOf,
      this.fail,
    );
  }
}
