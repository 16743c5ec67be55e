import { isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLMap } from "yaml";
import { SDK_MAJOR } from "../sdk/mod.ts";
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

/**
 * Parses and validates a manifest. Every problem is a `PluginLoadError` naming the file,
 * the line and the field, so an administrator can fix it without guessing.
 */
export function parseManifest(text: string, file: string): Manifest {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? undefined : lines.linePos(offset).line;
  const fail = (message: string, field?: string, offset?: number): never => {
    throw new PluginLoadError(message, {
      file,
      ...lineIf(lineOf(offset)),
      ...(field ? { field } : {}),
    });
  };
  const parseError = doc.errors[0];
  if (parseError) {
    fail(`invalid YAML: ${parseError.message.split("\n")[0]}`, undefined, parseError.pos[0]);
  }
  if (!isMap(doc.contents)) fail("a manifest must be a mapping of fields");
  const reader = new FieldReader(doc.contents as YAMLMap, fail, "");
  reader.refuseUnknown(TOP_KEYS);
  const dir = file.slice(0, file.lastIndexOf("/")) || "/";
  const manifest = readFields(reader, dir, file);
  if (manifest.runAs === "session-user" && manifest.isolation !== "session") {
    fail(
      `field "run_as" is session-user, which needs isolation: session (one user per instance), got "${manifest.isolation}"`,
      "run_as",
      reader.offsetOf("run_as"),
    );
  }
  if (manifest.sdk !== SDK_MAJOR) {
    fail(
      `plugin "${manifest.name}" was written for SDK ${manifest.sdk}, this Launchbox supports SDK ${SDK_MAJOR}: ` +
        `rebuild the plugin against SDK ${SDK_MAJOR} or install a Launchbox that supports SDK ${manifest.sdk}`,
      "sdk",
      reader.offsetOf("sdk"),
    );
  }
  return manifest;
}

function readFields(reader: FieldReader, dir: string, file: string): Manifest {
  const name = reader.string("name", true)!;
  if (!NAME.test(name)) {
    reader.failAt("name", `must be lower-case letters, digits, "-" or "_", got "${name}"`);
  }
  const version = reader.version();
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
        reader.failAt(kind, `entry ${index + 1} "${entry}" ${problem}`, `${kind}[${index}]`);
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

function lineIf(line: number | undefined): { line?: number } {
  return line === undefined ? {} : { line };
}

/** Typed reads of one YAML mapping, failing with the field's path and line. */
class FieldReader {
  constructor(
    readonly map: YAMLMap,
    readonly fail: (message: string, field?: string, offset?: number) => never,
    readonly path: string,
  ) {}

  offsetOf(key: string): number | undefined {
    const pair = this.map.items.find((item) => isScalar(item.key) && item.key.value === key);
    const node = (pair?.value ?? pair?.key) as { range?: [number, number, number] } | undefined;
    return node?.range?.[0];
  }

  failAt(key: string, message: string, field = key): never {
    return this.fail(
      `field "${this.path}${field}" ${message}`,
      `${this.path}${field}`,
      this.offsetOf(key),
    );
  }

  refuseUnknown(known: readonly string[]): void {
    for (const item of this.map.items) {
      const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
      if (!known.includes(key)) {
        const offset = (item.key as { range?: [number, number, number] }).range?.[0];
        this.fail(
          `unknown field "${this.path}${key}" (known: ${known.join(", ")})`,
          `${this.path}${key}`,
          offset,
        );
      }
    }
  }

  #value(key: string): unknown {
    const node = this.map.get(key, true);
    return isScalar(node) ? node.value : node;
  }

  string(key: string, required: boolean): string | undefined {
    const value = this.#value(key);
    if (value === undefined || value === null) {
      return required ? this.failAt(key, "is required") : undefined;
    }
    if (typeof value !== "string") {
      this.failAt(key, `must be a string, got ${JSON.stringify(value)}`);
    }
    return value as string;
  }

  version(): string {
    const value = this.#value("version");
    if (typeof value === "number") {
      this.failAt(
        "version",
        `must be a quoted string (YAML read ${value} as a number): write version: "${value}"`,
      );
    }
    return this.string("version", true)!;
  }

  integer(key: string, required: boolean, min = 0): number | undefined {
    const value = this.#value(key);
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
    const node = this.map.get(key, true);
    if (node === undefined || (isScalar(node) && node.value === null)) return [];
    if (
      !isSeq(node) || !node.items.every((item) => isScalar(item) && typeof item.value === "string")
    ) {
      return this.failAt(key, "must be a list of strings");
    }
    return node.items.map((item) => String((item as { value: unknown }).value));
  }

  child(key: string): FieldReader | undefined {
    const node = this.map.get(key, true);
    if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
    if (!isMap(node)) return this.failAt(key, "must be a mapping");
    return new FieldReader(node, this.fail, `${this.path}${key}.`);
  }
}
