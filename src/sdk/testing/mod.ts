/**
 * The Launchbox plugin test kit: a test host that stands in for the real one, a fake
 * clock, a capturing logger, and a conformance suite that runs under `deno test`. Import
 * it from tests only; plugins import `src/sdk/mod.ts`.
 *
 * @example
 * ```ts
 * import { definePlugin } from "../mod.ts";
 * import { conformance } from "./mod.ts";
 *
 * const plugin = definePlugin(() => ({
 *   async submitJob() {
 *     return { status: "Running" as const };
 *   },
 *   async controlJob(_job, op) {
 *     return { statusMessage: `Job ${op} successful`, operationComplete: true };
 *   },
 *   async *jobOutput() {},
 *   async clusterInfo() {
 *     return {};
 *   },
 * }));
 *
 * // In my_plugin_conformance_test.ts, call this at the top level:
 * export function registerConformance() {
 *   conformance(plugin, { name: "my-plugin", longRunningJob: { command: "sleep 3600" } });
 * }
 * ```
 *
 * @module
 */
export { CapturingLogger, type LogRecord } from "./capturing_logger.ts";
export { conformance } from "./conformance.ts";
export { type ConformanceProfile, type ExpectedEnd, type StopEnd } from "./conformance_profile.ts";
export { ManualClock } from "./manual_clock.ts";
export { type Violation } from "./_memory_jobs.ts";
export { createTestHost, type TestHostOptions } from "./create_test_host.ts";
export { type JobFields, type TestHost } from "./test_host.ts";
