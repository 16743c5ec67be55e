import { ErrorCode, LauncherError } from "../sdk/mod.ts";

/**
 * Runs a plugin call with a deadline. The call gets a signal that aborts on the caller's
 * signal or after `timeoutMs`; if the plugin ignores it, the call is abandoned at the
 * deadline with a Timeout error naming the plugin and the call.
 *
 * One timer per call, cleared when the call settles: `AbortSignal.timeout` cannot be
 * cleared, so a burst of submits left one live timer (and its signal) per call until each
 * deadline passed, and `AbortSignal.any` tied each to the caller's signal for as long.
 */
export async function withDeadline<T>(
  call: (signal: AbortSignal) => Promise<T>,
  options: { signal: AbortSignal; timeoutMs: number; what: string },
): Promise<T> {
  const controller = new AbortController();
  const caller = options.signal;
  const onCallerAbort = () => controller.abort(caller.reason);
  const timer = setTimeout(() => controller.abort(timeoutError(options)), options.timeoutMs);
  const expired = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), {
      once: true,
    });
  });
  expired.catch(() => {});
  if (caller.aborted) onCallerAbort();
  else caller.addEventListener("abort", onCallerAbort, { once: true });
  try {
    return await Promise.race([call(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
    caller.removeEventListener("abort", onCallerAbort);
  }
}

function timeoutError(options: { timeoutMs: number; what: string }): LauncherError {
  const seconds = options.timeoutMs / 1000;
  return new LauncherError(ErrorCode.Timeout, `${options.what} did not finish within ${seconds} s`);
}
