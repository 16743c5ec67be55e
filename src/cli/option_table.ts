import { NODE_LEASE_MS } from "../host/job_store/postgres/constants.ts";

/** How an option's value is read. */
export type OptionKind = "bool" | "int" | "string";

/** One option of Launcher plugin mode: the Launcher's own (spec §9.2) and Launchbox's. */
export interface OptionSpec {
  readonly kind: OptionKind;
  readonly fallback: string;
}

/**
 * Every option plugin mode accepts, with its default. The Launcher passes the first
 * group; the C++ SDK's extras are accepted so a launcher.conf written for it still works.
 */
export const LAUNCHER_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  "enable-debug-logging": { kind: "bool", fallback: "0" },
  "heartbeat-interval-seconds": { kind: "int", fallback: "5" },
  "job-expiry-hours": { kind: "int", fallback: "24" },
  "launcher-config-file": { kind: "string", fallback: "" },
  "plugin-name": { kind: "string", fallback: "" },
  "scratch-path": { kind: "string", fallback: "" },
  "server-user": { kind: "string", fallback: "rstudio-server" },
  "thread-pool-size": { kind: "int", fallback: "0" },
  "unprivileged": { kind: "bool", fallback: "" },
  "logging-dir": { kind: "string", fallback: "/var/log/rstudio/launcher" },
  "config-file": { kind: "string", fallback: "" },
  "plugin-metrics-interval-seconds": { kind: "int", fallback: "60" },
  "log-level": { kind: "string", fallback: "info" },
  "max-message-size": { kind: "int", fallback: "5242880" },
  "rsandbox-path": { kind: "string", fallback: "/usr/lib/rstudio-server/bin/rsandbox" },
  "plugins-dir": { kind: "string", fallback: "" },
  "metrics-address": { kind: "string", fallback: "" },
  "output-type-mode": { kind: "string", fallback: "int" },
  "job-store-url": { kind: "string", fallback: "" },
  "node-id": { kind: "string", fallback: "" },
  "node-address": { kind: "string", fallback: "" },
  "runner-pool-size": { kind: "int", fallback: "2" },
  "shared-output-files": { kind: "bool", fallback: "0" },
  "node-lease-seconds": { kind: "string", fallback: String(NODE_LEASE_MS / 1000) },
  "job-store-schema": { kind: "string", fallback: "" },
};

/** Parses a boolean the way the SDKs do (`1`/`0`, `true`/`false`, `yes`/`no`). */
export function parseBool(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off"].includes(value)) return false;
  return undefined;
}
