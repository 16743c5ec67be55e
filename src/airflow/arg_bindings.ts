import type { JsonValue } from "../sdk/airflow/mod.ts";
import type { SupervisorCalls } from "./task_client.ts";

/** One TaskFlow argument of the task: a literal, or the XCom an upstream task pushed. */
export type ArgBinding =
  | { name: string; kind: "literal"; value: JsonValue }
  | { name: string; kind: "xcom"; taskId: string; key: string };

/**
 * Reads `ti_context.arg_bindings` (schema 2026-10-30: `{kind: "xcom", name, task_id}` or
 * `{kind: "literal", name, value}`) or, from older supervisors, `stub_args` (the same
 * kinds, with an XCom `key`, named or positional: `ctx.args["0"]`). Throws a `TypeError`
 * naming a binding it cannot use.
 */
export function readArgBindings(tiContext: Record<string, unknown>): ArgBinding[] {
  const field = Array.isArray(tiContext.arg_bindings)
    ? "arg_bindings"
    : Array.isArray(tiContext.stub_args)
    ? "stub_args"
    : undefined;
  if (!field) return [];
  return (tiContext[field] as unknown[]).map((entry, index) => {
    const where = `ti_context.${field}[${index}]`;
    const binding = entry as Record<string, unknown> | null;
    // stub_args may be positional: an entry without a name is bound to its index.
    const name = typeof binding?.name === "string" && binding.name !== ""
      ? binding.name
      : field === "stub_args"
      ? String(index)
      : undefined;
    if (name === undefined) {
      throw new TypeError(`Cannot read StartupDetails: ${where} has no argument name`);
    }
    if (binding!.kind === "literal") {
      return { name, kind: "literal", value: (binding!.value ?? null) as JsonValue };
    }
    if (binding!.kind === "xcom" && typeof binding!.task_id === "string") {
      const key = typeof binding!.key === "string" ? binding!.key : "return_value";
      return { name, kind: "xcom", taskId: binding!.task_id, key };
    }
    throw new TypeError(
      `Cannot read StartupDetails: ${where} ("${name}") is neither a literal nor an XCom of a task`,
    );
  });
}

/** The task's arguments: literals as given, XComs pulled from this run (a missing one fails). */
export async function resolveArgs(
  bindings: readonly ArgBinding[],
  client: Pick<SupervisorCalls, "pullXCom">,
): Promise<Record<string, JsonValue>> {
  const args: Record<string, JsonValue> = {};
  for (const binding of bindings) {
    if (binding.kind === "literal") {
      args[binding.name] = binding.value;
      continue;
    }
    const value = await client.pullXCom({ taskId: binding.taskId, key: binding.key });
    if (value === undefined) {
      throw new Error(
        `Argument "${binding.name}" comes from XCom "${binding.key}" of task "${binding.taskId}", which was never pushed`,
      );
    }
    args[binding.name] = value;
  }
  return args;
}
