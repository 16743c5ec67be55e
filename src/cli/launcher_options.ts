import { defaultConfigPath, readConfigFile } from "./config_file.ts";
import { parseJobStoreUrl } from "./job_store_url.ts";
import { LAUNCHER_OPTIONS, parseBool } from "./option_table.ts";
import { parseOptions, type RawOptions } from "./parse_options.ts";
import { UsageError } from "./usage_error.ts";

/** The shortest and longest cluster lease: below 1 s a GC pause loses it, above 1 h nobody fails over. */
const MIN_LEASE_S = 1;
const MAX_LEASE_S = 3600;
/** Idle runners kept ahead of need: each costs about 16 MiB and a share of start-up CPU. */
const MAX_RUNNER_POOL_SIZE = 64;

/** Plugin-mode settings after the command line and the plugin config file are merged. */
export interface LauncherOptions {
  debug: boolean;
  heartbeatIntervalSeconds: number;
  jobExpiryHours: number;
  pluginName: string;
  scratchPath: string;
  loggingDir: string;
  serverUser: string;
  unprivileged: boolean;
  maxMessageSize: number;
  pluginsDir: string | undefined;
  metricsAddress: string | undefined;
  /**
   * Send Plugin API 3.7 Metrics messages this often. Set only when given: a 3.7 Launcher
   * passes it, an older one does not know it. 0 disables.
   */
  pluginMetricsIntervalSeconds: number | undefined;
  /**
   * `job-store-url`: the PostgreSQL database shared by load-balanced nodes; `undefined`
   * means the embedded SQLite file under the scratch path.
   */
  jobStoreUrl: string | undefined;
  /**
   * `job-store-schema`: the PostgreSQL schema holding the tables, so several clusters can
   * share one database; `undefined` means `public`.
   */
  jobStoreSchema: string | undefined;
  /** `node-lease-seconds`, in ms: how long a silent node keeps its lease (renewed about every quarter). */
  nodeLeaseMs: number;
  /** `node-id`: this node's name in a shared job store (default: the host name). */
  nodeId: string;
  /** `node-address`: where peers reach this node, recorded with its lease (default: node id). */
  nodeAddress: string;
  /**
   * `runner-pool-size`: runners with the host's uid started ahead of need (`RunnerPool`);
   * 0 disables. They serve `run_as: host` instances only: a started process keeps its uid.
   */
  runnerPoolSize: number;
  /**
   * `shared-output-files`: the jobs' output files are on storage every node mounts at the
   * same paths, so any node serves an output stream itself instead of asking the owner.
   */
  sharedOutputFiles: boolean;
  /** `plugin=` from the config file: which plugin serves this cluster. */
  configuredPlugin: string | undefined;
  /** The config file read, if any. */
  configFile: string | undefined;
  /** Config-file keys that are not host options: handed to the plugin as `ctx.config`. */
  pluginConfig: Record<string, string>;
  /** Which option set each directory (for error messages), `default` when none did. */
  origin: Record<"scratch-path" | "logging-dir" | "job-store-url", string>;
}

/** Reads plugin-mode options; config file values win over the command line (C++ SDK rule). */
export function readLauncherOptions(args: readonly string[]): LauncherOptions {
  const cli = parseOptions(args, LAUNCHER_OPTIONS);
  const explicitConfig = cli.get("config-file");
  const name = cli.get("plugin-name") ?? "";
  const configPath = explicitConfig || defaultConfigPath(`launcher.${name || "launchbox"}.conf`);
  const file = readConfigFile(configPath, Boolean(explicitConfig));
  const merged: RawOptions = new Map(cli);
  const pluginConfig: Record<string, string> = {};
  for (const [key, value] of file ?? []) {
    if (key in LAUNCHER_OPTIONS) merged.set(key, value);
    else if (key !== "plugin") pluginConfig[key] = value;
  }
  return build(merged, file, configPath, pluginConfig);
}

function build(
  raw: RawOptions,
  file: Map<string, string> | undefined,
  configPath: string | undefined,
  pluginConfig: Record<string, string>,
): LauncherOptions {
  const get = (name: string) => raw.get(name) ?? LAUNCHER_OPTIONS[name]!.fallback;
  const pluginName = get("plugin-name");
  const origin = (name: string) =>
    file?.has(name) ? `${name} in ${configPath}` : raw.has(name) ? `--${name}` : "default";
  const optionOrigin = (name: string) =>
    file?.has(name) ? `${name}= in ${configPath}` : `--${name}`;
  const unprivileged = raw.has("unprivileged") ? bool(raw, "unprivileged") : Deno.uid() !== 0;
  return {
    debug: bool(raw, "enable-debug-logging") || get("log-level").toLowerCase() === "debug",
    heartbeatIntervalSeconds: int(raw, "heartbeat-interval-seconds"),
    jobExpiryHours: int(raw, "job-expiry-hours"),
    pluginName,
    scratchPath: get("scratch-path") || `/var/lib/rstudio-launcher/${pluginName || "launchbox"}`,
    loggingDir: get("logging-dir"),
    serverUser: get("server-user"),
    unprivileged,
    maxMessageSize: atLeast(int(raw, "max-message-size"), 1024, "max-message-size"),
    pluginsDir: raw.get("plugins-dir") || undefined,
    metricsAddress: raw.get("metrics-address") || undefined,
    pluginMetricsIntervalSeconds: raw.has("plugin-metrics-interval-seconds")
      ? int(raw, "plugin-metrics-interval-seconds")
      : undefined,
    jobStoreUrl: parseJobStoreUrl(raw.get("job-store-url") ?? "", optionOrigin("job-store-url")),
    jobStoreSchema: schemaOf(raw.get("job-store-schema") ?? "", optionOrigin("job-store-schema")),
    nodeLeaseMs: leaseMsOf(get("node-lease-seconds"), optionOrigin("node-lease-seconds")),
    nodeId: nodeIdOf(raw.get("node-id") ?? "", optionOrigin("node-id")),
    nodeAddress: (raw.get("node-address") ?? "").trim() ||
      nodeIdOf(raw.get("node-id") ?? "", optionOrigin("node-id")),
    runnerPoolSize: atMost(int(raw, "runner-pool-size"), MAX_RUNNER_POOL_SIZE, "runner-pool-size"),
    sharedOutputFiles: bool(raw, "shared-output-files"),
    configuredPlugin: file?.get("plugin") || undefined,
    configFile: file ? configPath : undefined,
    pluginConfig,
    origin: {
      "scratch-path": origin("scratch-path"),
      "logging-dir": origin("logging-dir"),
      "job-store-url": optionOrigin("job-store-url"),
    },
  };
}

/** A node name: printable, no spaces, at most 200 characters; the host name when empty. */
function nodeIdOf(text: string, origin: string): string {
  const value = text.trim() || Deno.hostname();
  if (!/^[\x21-\x7e]{1,200}$/.test(value)) {
    throw new UsageError(
      `Option ${origin} must be 1-200 printable characters without spaces, got "${value}"`,
    );
  }
  return value;
}

/** A schema name PostgreSQL takes unquoted (as the store requires); `undefined` when empty. */
function schemaOf(text: string, origin: string): string | undefined {
  const value = text.trim() || Deno.env.get("LAUNCHBOX_JOB_STORE_SCHEMA") || "";
  if (value === "") return undefined;
  if (!/^[a-z_][a-z0-9_]{0,39}$/.test(value)) {
    throw new UsageError(
      `Option ${origin} must be 1-40 lower-case letters, digits or "_", not starting with a ` +
        `digit, got "${value}"`,
    );
  }
  return value;
}

/** Seconds, a decimal from 1 to 3600, as whole milliseconds. */
function leaseMsOf(text: string, origin: string): number {
  const value = Number(text.trim());
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || value < MIN_LEASE_S || value > MAX_LEASE_S) {
    throw new UsageError(
      `Option ${origin} must be a number of seconds from ${MIN_LEASE_S} to ${MAX_LEASE_S}, ` +
        `got "${text}"`,
    );
  }
  return Math.round(value * 1000);
}

function bool(raw: RawOptions, name: string): boolean {
  const text = raw.get(name) ?? LAUNCHER_OPTIONS[name]!.fallback;
  if (text === "") return false;
  const value = parseBool(text);
  if (value === undefined) throw new UsageError(`Option --${name} must be 0 or 1, got "${text}"`);
  return value;
}

function int(raw: RawOptions, name: string): number {
  const text = raw.get(name) ?? LAUNCHER_OPTIONS[name]!.fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new UsageError(`Option --${name} must be a whole number >= 0, got "${text}"`);
  }
  return value;
}

function atMost(value: number, maximum: number, name: string): number {
  if (value > maximum) {
    throw new UsageError(`Option --${name} must be at most ${maximum}, got ${value}`);
  }
  return value;
}

function atLeast(value: number, minimum: number, name: string): number {
  if (value < minimum) {
    throw new UsageError(`Option --${name} must be at least ${minimum}, got ${value}`);
  }
  return value;
}
