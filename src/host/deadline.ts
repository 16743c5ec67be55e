import { ErrorCode, LauncherError } from "../sdk/mod.ts";

/**
 * Runs a plugin call with a deadline. The call gets a signal that aborts on the caller's
 * signal or after `timeoutMs`; if the plugin ignores it, the call is abandoned at the
 * deadline with a Timeout error naming the plugin and the call.
 */
export async function withDeadline<T>(
  call: (signal: AbortSignal) => Promise<T>,
  options: { signal: AbortSignal; timeoutMs: number; what: string },
): Promise<T> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  const expired = new Promise<never>((_, reject) => {
    const onAbort = () => reject(abortReason(options, timeout.aborted));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  expired.catch(() => {});
  return await Promise.race([call(signal), expired]);
}

function abortReason(
  options: { signal: AbortSignal; timeoutMs: number; what: string },
  timedOut: boolean,
) {
  if (!timedOut) return options.signal.reason;
  const seconds = options.timeoutMs / 1000;
  return new LauncherError(ErrorCode.Timeout, `${options.what} did not finish within ${seconds} s`);
}
