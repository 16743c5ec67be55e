import { startupDetails } from "./_startup.ts";
import { supervise, type SupervisorResult, type SupervisorRun } from "./_supervisor.ts";

const LAUNCHBOX = new URL("../../bin/launchbox", import.meta.url).pathname;
/** The example bundle and friends. */
export const PLUGINS = new URL("../../plugins", import.meta.url).pathname;
/** Bundles with one behaviour per task. */
export const FIXTURES = new URL("../fixtures/bundles", import.meta.url).pathname;
/** Subprocess tests leave the child's streams to the supervisor. */
export const opts = { sanitizeOps: false, sanitizeResources: false };

/** Options of {@linkcode runTask}. */
export type TaskRunOptions = Partial<SupervisorRun> & {
  shouldRetry?: boolean;
  plugins?: string;
  /** Protocol violations are expected: do not throw on them. */
  allowViolations?: boolean;
  /** Arguments of the configured command, before the flags Airflow appends. */
  prefix?: string[];
};

/**
 * Runs one task of Launchbox under the test supervisor, with a fresh scratch directory and a
 * stray positional argument before the flags (as Airflow may add a bundle path). Throws with
 * the child's stderr when the supervisor saw a protocol violation.
 */
export async function runTask(
  dagId: string,
  taskId: string,
  options: TaskRunOptions = {},
): Promise<SupervisorResult> {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-airflow-" });
  const { shouldRetry, plugins, allowViolations, prefix = [], ...run } = options;
  try {
    const result = await supervise({
      command: [
        LAUNCHBOX,
        `--plugins-dir=${plugins ?? PLUGINS}`,
        `--scratch-path=${scratch}`,
        "a-bundle-path-airflow-may-add",
        ...prefix,
      ],
      startup: startupDetails({ dagId, taskId, ...(shouldRetry ? { shouldRetry } : {}) }),
      checkOwnership: true,
      ...run,
    });
    if (result.violations.length > 0 && !allowViolations) {
      throw new Error(`Protocol violations: ${result.violations.join("; ")}\n${result.stderr}`);
    }
    return result;
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}

/** The types of the requests the runtime sent, in order. */
export const types = (result: SupervisorResult) => result.requests.map((r) => r.type);
/** The `event` of every log line. */
export const events = (result: SupervisorResult) => result.logs.map((l) => String(l.event));
