/**
 * The error codes of the Launcher Plugin API (0–10), sent in Error responses.
 *
 * @example
 * ```ts
 * import { ErrorCode } from "./launcher_error.ts";
 * ErrorCode.JobNotFound; // 3
 * ```
 */
export const ErrorCode = {
  Unknown: 0,
  RequestNotSupported: 1,
  InvalidRequest: 2,
  JobNotFound: 3,
  PluginRestarted: 4,
  Timeout: 5,
  JobNotRunning: 6,
  JobOutputNotFound: 7,
  InvalidJobState: 8,
  JobControlFailure: 9,
  UnsupportedVersion: 10,
} as const;

/** One of the numeric values of {@linkcode ErrorCode}. */
export type ErrorCode = typeof ErrorCode[keyof typeof ErrorCode];

/**
 * An error a plugin throws to answer the Launcher with a specific error code and message.
 * Any other thrown error reaches the Launcher as code 0 (Unknown) with its message.
 *
 * @example
 * ```ts
 * import { ErrorCode, LauncherError } from "./launcher_error.ts";
 * function requireRunning(status: string) {
 *   if (status !== "Running") {
 *     throw new LauncherError(ErrorCode.JobNotRunning, "Job job-7 is not running");
 *   }
 * }
 * ```
 */
export class LauncherError extends Error {
  override readonly name = "LauncherError";
  /** The protocol error code sent to the Launcher. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The error code an arbitrary thrown value maps to: a `LauncherError`'s code, else Unknown.
 *
 * @example
 * ```ts
 * import { errorCodeOf } from "./launcher_error.ts";
 * errorCodeOf(new Error("boom")); // 0
 * ```
 */
export function errorCodeOf(error: unknown): ErrorCode {
  return error instanceof LauncherError ? error.code : ErrorCode.Unknown;
}
