import { UsageError } from "../usage_error.ts";

/** `client submit`'s options after parsing: each a list of the values given. */
export type SubmitValues = ReadonlyMap<string, readonly string[]>;

const DURATION = /^(\d+(?:\.\d+)?)([smh]?)$/;
const SECONDS_PER = { "": 1, s: 1, m: 60, h: 3600 } as const;

/**
 * The Job object of a SubmitJob request (launcher-protocol.md §4) from `client submit`'s
 * options: `--queue` → `queues`, `--cpus`/`--memory`/`--time-limit` → `resourceLimits`
 * of type `cpuCount`, `memory` (MB) and `cpuTime` (seconds), `--config NAME=VALUE` →
 * `config`. Bad values are usage errors naming the option.
 */
export function jobRequest(values: SubmitValues): Record<string, unknown> {
  const one = (name: string) => values.get(name)?.at(-1);
  const command = one("command");
  const exe = one("exe");
  if (!command && !exe) throw new UsageError("client submit needs --command CMD or --exe PATH");
  if (command && exe) throw new UsageError("client submit takes --command or --exe, not both");
  const job: Record<string, unknown> = { name: one("name") ?? command ?? exe };
  if (command) job.command = command;
  if (exe) job.exe = exe;
  for (const [option, field] of [["arg", "args"], ["tag", "tags"], ["queue", "queues"]]) {
    const list = values.get(option!);
    if (list && list.length > 0) job[field!] = [...list];
  }
  const limits = resourceLimits(one);
  if (limits.length > 0) job.resourceLimits = limits;
  const config = values.get("config")?.map(configEntry);
  if (config && config.length > 0) job.config = config;
  return job;
}

function resourceLimits(one: (name: string) => string | undefined) {
  const limits: { type: string; value: string }[] = [];
  const cpus = one("cpus");
  if (cpus !== undefined) limits.push({ type: "cpuCount", value: positive("--cpus", cpus, true) });
  const memory = one("memory");
  if (memory !== undefined) limits.push({ type: "memory", value: positive("--memory", memory) });
  const time = one("time-limit");
  if (time !== undefined) limits.push({ type: "cpuTime", value: seconds(time) });
  return limits;
}

function positive(option: string, text: string, integer = false): string {
  const number = Number(text);
  const ok = text.trim() !== "" && Number.isFinite(number) && number > 0 &&
    (!integer || Number.isInteger(number));
  if (!ok) {
    throw new UsageError(
      `${option} must be a positive ${integer ? "integer" : "number"}, got "${text}"`,
    );
  }
  return String(number);
}

function seconds(text: string): string {
  const match = DURATION.exec(text.trim());
  const total = match ? Number(match[1]) * SECONDS_PER[match[2] as keyof typeof SECONDS_PER] : 0;
  if (!(total > 0)) {
    throw new UsageError(
      `--time-limit must be seconds, or a number with s, m or h (90m), got "${text}"`,
    );
  }
  return String(Math.ceil(total));
}

function configEntry(text: string): { name: string; value: string } {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`--config must be NAME=VALUE, got "${text}"`);
  return { name: text.slice(0, eq), value: text.slice(eq + 1) };
}
