import { UsageError } from "./usage_error.ts";

/** What the process was started to do, decided once from the command line. */
export type Mode =
  | { kind: "launcher"; args: string[] }
  | { kind: "airflow"; args: string[] }
  | { kind: "airflow-metadata"; args: string[] }
  | { kind: "check"; args: string[] }
  | { kind: "new"; args: string[] }
  | { kind: "airflow-test"; args: string[] }
  | { kind: "client"; args: string[] }
  | { kind: "runner"; args: string[] }
  | { kind: "version" }
  | { kind: "help" };

const HELP_WORDS = new Set(["help", "--help", "-h"]);
const VERSION_WORDS = new Set(["version", "--version", "-V"]);

/** Picks the mode the way docs/architecture.md lays out (first word, then the Airflow flags). */
export function decideMode(args: readonly string[]): Mode {
  const [first, ...rest] = args;
  if (first === "check") return { kind: "check", args: rest };
  if (first === "new") return { kind: "new", args: rest };
  if (first === "airflow-test") return { kind: "airflow-test", args: rest };
  if (first === "client") return { kind: "client", args: rest };
  if (first === "runner") return { kind: "runner", args: rest };
  if (first !== undefined && HELP_WORDS.has(first)) return { kind: "help" };
  if (first !== undefined && VERSION_WORDS.has(first)) return { kind: "version" };
  const comm = hasFlag(args, "--comm");
  const logs = hasFlag(args, "--logs");
  if (comm && logs) return { kind: "airflow", args: [...args] };
  if (comm || logs) {
    throw new UsageError(
      `Coordinator mode needs both --comm and --logs; only ${comm ? "--comm" : "--logs"} was given`,
    );
  }
  if (hasFlag(args, "--airflow-metadata") || hasFlag(args, "--bundle-metadata")) {
    return { kind: "airflow-metadata", args: [...args] };
  }
  if (args.some((arg) => HELP_WORDS.has(arg))) return { kind: "help" };
  if (args.some((arg) => arg === "--version")) return { kind: "version" };
  return { kind: "launcher", args: [...args] };
}

/** Whether `--name` appears as `--name` or `--name=value`. */
export function hasFlag(args: readonly string[], name: string): boolean {
  return args.some((arg) => arg === name || arg.startsWith(`${name}=`));
}
