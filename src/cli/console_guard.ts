import type { JsonLogger } from "../log/mod.ts";

/**
 * Sends everything written through `console` to the log (stderr and files), so no code
 * in this process can put a stray line on stdout, which belongs to the protocol.
 */
export function routeConsoleToLog(log: JsonLogger): void {
  const format = (args: unknown[]) =>
    args.map((arg) => typeof arg === "string" ? arg : Deno.inspect(arg)).join(" ");
  const target = log.with({ source: "console" });
  const guarded = {
    log: (...args: unknown[]) => target.info(format(args)),
    info: (...args: unknown[]) => target.info(format(args)),
    debug: (...args: unknown[]) => target.debug(format(args)),
    warn: (...args: unknown[]) => target.warn(format(args)),
    error: (...args: unknown[]) => target.error(format(args)),
    trace: (...args: unknown[]) => target.debug(format(args)),
    dir: (value: unknown) => target.info(Deno.inspect(value)),
    table: (value: unknown) => target.info(Deno.inspect(value)),
  };
  Object.assign(globalThis.console, guarded);
}
