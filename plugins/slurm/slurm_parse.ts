/**
 * Pure parsers of Slurm command output, tested against captured output in `testdata/`.
 * @module
 */

/** How a job's process ended: its exit code, or the signal that ended it (0 for none). */
export interface ExitStatus {
  readonly code: number;
  readonly signal: number;
}

/** One job as `squeue` (or `sacct`) reports it. */
export interface SlurmJobRow {
  readonly jobId: string;
  /** Slurm's state, e.g. `PENDING`, `RUNNING`, `CANCELLED`. */
  readonly state: string;
  /** Why the job is in that state, e.g. `BeginTime`, `NonZeroExitCode`, `None`. */
  readonly reason: string;
  readonly exit: ExitStatus;
  /** The node its batch script ran on; `""` when it never ran. */
  readonly batchHost: string;
  readonly partition: string;
}

/** The `squeue -O` fields {@linkcode parseSqueueRows} reads, `|`-separated, in this order. */
export const SQUEUE_FORMAT = "JobID:|,State:|,Reason:|,exit_code:|,BatchHost:|,Partition:|";

/** The `sacct -o` fields {@linkcode parseSacctRows} reads (with `--parsable2`). */
export const SACCT_FORMAT = "JobID,State,ExitCode,NodeList,Partition,Reason";

/** Parses `squeue -h --states=all -O SQUEUE_FORMAT` output; `exit_code` is a wait status. */
export function parseSqueueRows(text: string): SlurmJobRow[] {
  return lines(text).map((line) => {
    const [jobId = "", state = "", reason = "", status = "0", host = "", partition = ""] = line
      .split("|").map((field) => field.trim());
    return {
      jobId,
      state,
      reason,
      exit: fromWaitStatus(Number(status) || 0),
      batchHost: noneToEmpty(host),
      partition,
    };
  });
}

/**
 * Parses `sacct -n -X -P -o SACCT_FORMAT` output. States like `CANCELLED by 1001` keep
 * their first word; `ExitCode` is `code:signal`.
 */
export function parseSacctRows(text: string): SlurmJobRow[] {
  return lines(text).map((line) => {
    const [jobId = "", state = "", exit = "0:0", nodes = "", partition = "", reason = ""] = line
      .split("|");
    return {
      jobId,
      state: state.split(" ")[0] ?? "",
      reason,
      exit: parseExitCode(exit),
      batchHost: noneToEmpty(nodes),
      partition,
    };
  });
}

/** A wait status as squeue's `exit_code` gives it: code in bits 8–15, signal in 0–6. */
export function fromWaitStatus(status: number): ExitStatus {
  return { code: (status >> 8) & 0xff, signal: status & 0x7f };
}

/** Slurm's `code:signal` exit code text (`3:0`, `0:15`). */
export function parseExitCode(text: string): ExitStatus {
  const [code = "0", signal = "0"] = text.trim().split(":");
  return { code: Number(code) || 0, signal: Number(signal) || 0 };
}

/**
 * One line of `scontrol show <entity> -o`: `Key=value` pairs separated by spaces. A value
 * runs until the next ` Key=`, so values holding spaces (paths, names) stay whole.
 */
export function parseKeyValues(line: string): Map<string, string> {
  const fields = new Map<string, string>();
  const keys = [...line.matchAll(/(?:^|\s)([A-Za-z][A-Za-z0-9_/:.]*)=/g)];
  keys.forEach((match, i) => {
    const start = match.index! + match[0].length;
    const end = keys[i + 1]?.index ?? line.length;
    fields.set(match[1]!, line.slice(start, end).trim());
  });
  return fields;
}

/** Every record of `scontrol show <entity> -o` output, one per line. */
export function parseKeyValueLines(text: string): Map<string, string>[] {
  return lines(text).map(parseKeyValues);
}

/**
 * A Slurm duration (`UNLIMITED`, `30`, `1:30:00`, `2-00:00:00`, `00:00:01.500`) in
 * seconds; `undefined` for unlimited or unset values.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (/^(UNLIMITED|INFINITE|NONE|N\/A|Partition_Limit)?$/i.test(value)) return undefined;
  const [days, clock] = value.includes("-") ? value.split("-") : ["0", value];
  const parts = (clock ?? "").split(":").map(Number);
  if (parts.some((part) => !Number.isFinite(part))) return undefined;
  // A bare number is minutes; mm:ss, hh:mm:ss otherwise.
  const seconds = parts.length === 1
    ? parts[0]! * 60
    : parts.reduce((total, part) => total * 60 + part, 0);
  return Number(days) * 86_400 + seconds;
}

/** A Slurm memory size (`3212K`, `24105M`, `1.5G`, bare numbers are MiB) in MiB. */
export function parseMemoryMiB(text: string): number | undefined {
  const match = /^([\d.]+)([KMGTP]?)$/i.exec(text.trim());
  if (!match) return undefined;
  const factors: Record<string, number> = {
    K: 1 / 1024,
    M: 1,
    G: 1024,
    T: 1024 ** 2,
    P: 1024 ** 3,
  };
  return Number(match[1]) * (factors[match[2]!.toUpperCase() || "M"] ?? 1);
}

function lines(text: string): string[] {
  return text.split("\n").map((line) => line.trimEnd()).filter((line) => line.trim() !== "");
}

function noneToEmpty(value: string): string {
  return /^(n\/a|None assigned|\(null\)|None)?$/i.test(value.trim()) ? "" : value.trim();
}
