import { type PluginMethod, type RunnerMessage, STREAM_METHODS } from "./rpc.ts";

const LEVELS = new Set(["debug", "info", "warn", "error"]);
const OPS = new Set(["get", "list", "update"]);
const METHODS = new Set<string>(
  [
    ...STREAM_METHODS,
    "submitJob",
    "controlJob",
    "jobNetwork",
    "clusterInfo",
    "recover",
    "reloadConfig",
    "syncNodes",
  ] satisfies PluginMethod[],
);

type Fields = Record<string, unknown>;

/**
 * What is wrong with a message a runner (or the plugin in its Worker) sent, or
 * `undefined` when it has the shape of a {@linkcode RunnerMessage}: each type's fields
 * with their types, call ids that are positive integers, known methods, operations and
 * log levels. Values a plugin returns (`result`, `item`) are checked by the host where
 * they are used.
 */
export function runnerMessageProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `expected a message object, got ${typeOf(value)}`;
  const m = value as Fields;
  switch (m.t) {
    case "ready":
      return Array.isArray(m.methods) && m.methods.every((name) => METHODS.has(name))
        ? undefined
        : '"ready" must list known plugin methods';
    case "fatal":
      return wireErrorProblem(m.t, m.error);
    case "crashed":
      if (m.at !== undefined && typeof m.at !== "string") {
        return `"crashed" at must be a string, got ${typeOf(m.at)}`;
      }
      return wireErrorProblem(m.t, m.error);
    case "error":
      return idProblem(m) ?? wireErrorProblem(m.t, m.error);
    case "result":
    case "item":
    case "end":
    case "pong":
      return idProblem(m);
    case "jobs":
      if (!OPS.has(m.op as string)) return `"jobs" has unknown operation ${typeOf(m.op)}`;
      return idProblem(m) ?? (Array.isArray(m.args) ? undefined : '"jobs" args must be a list');
    case "log":
      if (!LEVELS.has(m.level as string)) return `"log" has unknown level ${typeOf(m.level)}`;
      if (typeof m.msg !== "string") return `"log" msg must be a string, got ${typeOf(m.msg)}`;
      if (m.cut !== undefined && !(Number.isSafeInteger(m.cut) && (m.cut as number) >= 0)) {
        return `"log" cut must be a whole number of bytes, got ${typeOf(m.cut)}`;
      }
      return m.fields === undefined || isObject(m.fields)
        ? undefined
        : `"log" fields must be an object, got ${typeOf(m.fields)}`;
    case "stopped":
      return undefined;
    default:
      return `unknown message type ${typeOf(m.t)}`;
  }
}

/** Narrows a checked value (see {@linkcode runnerMessageProblem}). */
export function isRunnerMessage(value: unknown): value is RunnerMessage {
  return runnerMessageProblem(value) === undefined;
}

function idProblem(m: Fields): string | undefined {
  return Number.isSafeInteger(m.id) && (m.id as number) > 0
    ? undefined
    : `"${m.t}" id must be a positive integer, got ${typeOf(m.id)}`;
}

function wireErrorProblem(t: unknown, error: unknown): string | undefined {
  if (!isObject(error)) return `"${t}" error must be an object, got ${typeOf(error)}`;
  const e = error as Fields;
  if (typeof e.name !== "string" || typeof e.message !== "string") {
    return `"${t}" error must have a string name and message`;
  }
  if (e.code !== undefined && typeof e.code !== "number") {
    return `"${t}" error code must be a number`;
  }
  if (e.stage !== undefined && typeof e.stage !== "string") {
    return `"${t}" error stage must be a string`;
  }
  return undefined;
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 40));
  if (value === null || Array.isArray(value)) return value === null ? "null" : "a list";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
