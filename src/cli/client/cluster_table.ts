import { table } from "./tables.ts";

type Entry = Record<string, unknown>;

/**
 * ClusterInfo (launcher-protocol.md §7.6) as `client cluster` prints it: one table each
 * for queues, resource limits, job settings (`--config`), placement constraints and
 * resource profiles, then containers. Empty parts say "none".
 */
export function clusterTables(info: Entry): string {
  const queues = strings(info.queues);
  const sections = [
    section("QUEUE", ["DEFAULT"], queues.map((q) => [q, q === info.defaultQueue ? "yes" : ""])),
    section(
      "LIMIT",
      ["DEFAULT", "MAX"],
      entries(info.resourceLimits).map((
        l,
      ) => [text(l.type), text(l.defaultValue), text(l.maxValue)]),
    ),
    section(
      "SETTING",
      ["TYPE"],
      entries(info.config).map((c) => [text(c.name), text(c.valueType)]),
    ),
    section(
      "CONSTRAINT",
      ["VALUE"],
      entries(info.placementConstraints).map((c) => [text(c.name), text(c.value)]),
    ),
    section(
      "PROFILE",
      ["LIMITS"],
      entries(info.resourceProfiles).map((p) => [text(p.name), limitsText(p.limits)]),
    ),
  ];
  const images = strings(info.images);
  const containers = info.supportsContainers === true
    ? `containers: yes (images: ${images.join(", ") || "none"}${
      info.defaultImage ? `; default ${info.defaultImage}` : ""
    })`
    : "containers: no";
  return [...sections, containers].join("\n\n");
}

function section(title: string, columns: string[], rows: string[][]): string {
  if (rows.length === 0) return `${title}: none`;
  return table([[title, ...columns], ...rows]);
}

function entries(value: unknown): Entry[] {
  return Array.isArray(value)
    ? value.filter((v): v is Entry => typeof v === "object" && v !== null)
    : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function text(value: unknown): string {
  return value === undefined || value === null || value === "" ? "-" : String(value);
}

function limitsText(value: unknown): string {
  return entries(value).map((l) => `${text(l.type)}=${text(l.value)}`).join(", ") || "-";
}
