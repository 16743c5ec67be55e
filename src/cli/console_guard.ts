import type { JsonLogger } from "../log/mod.ts";
import { routeConsole } from "../sandbox/airflow_worker_console.ts";

/**
 * Sends everything written through `console` (every method, `count` and `time` included)
 * to the log (stderr and files), so no code in this process can put a stray line on
 * stdout, which belongs to the protocol.
 */
export function routeConsoleToLog(log: JsonLogger): void {
  const target = log.with({ source: "console" });
  routeConsole((level, text) => {
    if (level === "warning") target.warn(text);
    else target[level](text);
  });
}
