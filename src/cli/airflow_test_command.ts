/**
 * `launchbox airflow-test DAG TASK [options]`: runs one task of a bundle the way Airflow
 * would, against a fake supervisor holding the given variables, connections and XComs, and
 * prints every frame, every log line and the task's final state.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  startupDetails,
  type Store,
  superviseTask,
  type SupervisorEvent,
  xcomKey,
} from "../airflow/fake_supervisor/mod.ts";
import { writeStdout } from "./exit.ts";
import { selfCommand } from "./self_command.ts";
import { UsageError } from "./usage_error.ts";

const USAGE = "usage: launchbox airflow-test DAG_ID TASK_ID [--plugins-dir D] [--variable K=V]… " +
  "[--connection ID=JSON]… [--xcom TASK[.KEY]=JSON]… [--conf JSON] [--retry] [--debug]";

/** Runs the task; exits 0 when it ends in success, 1 otherwise, 2 on bad arguments. */
export async function runAirflowTest(args: string[]): Promise<number> {
  const options = parse(args);
  const startup = startupDetails({
    dagId: options.dagId,
    taskId: options.taskId,
    shouldRetry: options.retry,
    conf: options.conf,
  });
  const runId = String((startup.ti as { run_id: string }).run_id);
  const store = storeFrom(options, runId);
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-airflow-test-" });
  try {
    const hostArgs = [`--scratch-path=${scratch}`];
    if (options.pluginsDir) hostArgs.push(`--plugins-dir=${options.pluginsDir}`);
    const result = await superviseTask({
      command: selfCommand(hostArgs),
      startup,
      store,
      env: options.debug ? { AIRFLOW__LOGGING__LOGGING_LEVEL: "DEBUG" } : {},
      onEvent: (event) => writeStdout(formatEvent(event) + "\n"),
    });
    if (result.exit.code !== 0 && result.stderr.trim()) {
      writeStdout(`stderr: ${result.stderr.trim()}\n`);
    }
    writeStdout(`Final state: ${result.finalState} (exit ${result.exit.code})\n`);
    return result.finalState === "success" ? 0 : 1;
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

/** One line per frame (`→` to the runtime, `←` from it), log record or problem. */
export function formatEvent(event: SupervisorEvent): string {
  switch (event.kind) {
    case "sent": {
      const ti = event.body.ti as { dag_id?: string; task_id?: string } | undefined;
      return `→ ${event.body.type} ${ti?.dag_id}.${ti?.task_id}`;
    }
    case "received": {
      const { type, ...rest } = event.body;
      return `← ${type} ${JSON.stringify(rest, jsonSafe)}`;
    }
    case "replied": {
      if (event.body === null) return "→ (nil)";
      const { type, ...rest } = event.body;
      return `→ ${type} ${JSON.stringify(rest, jsonSafe)}`;
    }
    case "log": {
      const { level, logger, event: text } = event.record;
      return `log ${level} ${logger}: ${text}`;
    }
    case "problem":
      return `problem: ${event.message}`;
  }
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

interface TestOptions {
  dagId: string;
  taskId: string;
  pluginsDir: string | undefined;
  variables: Record<string, string>;
  connections: Record<string, Record<string, unknown>>;
  xcoms: [string, string, unknown][];
  conf: Record<string, unknown>;
  retry: boolean;
  debug: boolean;
}

function storeFrom(options: TestOptions, runId: string): Store {
  const xcoms = new Map<string, unknown>();
  for (const [taskId, key, value] of options.xcoms) {
    xcoms.set(xcomKey({ dag_id: options.dagId, run_id: runId, task_id: taskId, key }), value);
  }
  return { variables: options.variables, connections: options.connections, xcoms };
}

function parse(args: string[]): TestOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        "plugins-dir": { type: "string" },
        variable: { type: "string", multiple: true },
        connection: { type: "string", multiple: true },
        xcom: { type: "string", multiple: true },
        conf: { type: "string" },
        retry: { type: "boolean" },
        debug: { type: "boolean" },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (${USAGE})`);
  }
  const [dagId, taskId, ...extra] = parsed.positionals;
  if (!dagId || !taskId || extra.length > 0) {
    throw new UsageError(`Cannot run a task: give a DAG ID and a task ID (${USAGE})`);
  }
  const { values } = parsed;
  const variables: Record<string, string> = {};
  for (const [key, value] of (values.variable ?? []).map((v) => pair(v, "--variable"))) {
    variables[key] = value;
  }
  const connections: Record<string, Record<string, unknown>> = {};
  for (const [id, json] of (values.connection ?? []).map((v) => pair(v, "--connection"))) {
    connections[id] = object(json, `--connection ${id}`);
  }
  const xcoms = (values.xcom ?? []).map((v) => pair(v, "--xcom")).map(([where, json]) => {
    const [task, key = "return_value"] = where.split(".", 2) as [string, string?];
    return [task, key, value(json, `--xcom ${where}`)] as [string, string, unknown];
  });
  return {
    dagId,
    taskId,
    pluginsDir: values["plugins-dir"],
    variables,
    connections,
    xcoms,
    conf: values.conf === undefined ? {} : object(values.conf, "--conf"),
    retry: values.retry ?? false,
    debug: values.debug ?? false,
  };
}

function pair(text: string, flag: string): [string, string] {
  const at = text.indexOf("=");
  if (at <= 0) throw new UsageError(`${flag} must be NAME=VALUE, got "${text}" (${USAGE})`);
  return [text.slice(0, at), text.slice(at + 1)];
}

function value(json: string, flag: string): unknown {
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new UsageError(`${flag} must be JSON: ${(error as Error).message}, got '${json}'`);
  }
}

function object(json: string, flag: string): Record<string, unknown> {
  const parsed = value(json, flag);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError(`${flag} must be a JSON object, got '${json}'`);
  }
  return parsed as Record<string, unknown>;
}
