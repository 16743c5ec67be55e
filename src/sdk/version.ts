/**
 * The SDK's major version. A plugin's manifest names the major it was written for
 * (`sdk: 1`); the host refuses a plugin written for another major.
 *
 * @example
 * ```ts
 * import { SDK_MAJOR } from "./version.ts";
 * SDK_MAJOR; // 1
 * ```
 */
export const SDK_MAJOR = 1;

/**
 * The Launcher Plugin API version the host speaks.
 *
 * @example
 * ```ts
 * import { LAUNCHER_API_VERSION } from "./version.ts";
 * LAUNCHER_API_VERSION.major; // 3
 * ```
 */
export const LAUNCHER_API_VERSION = { major: 3, minor: 6, patch: 0 } as const;
