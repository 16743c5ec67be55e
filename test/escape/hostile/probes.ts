/**
 * What a hostile plugin tries, one probe per behaviour, and what the Launcher must see.
 * A probe's `attempt` runs inside the plugin's Worker; everything else is read by the
 * test harness (`../_suite.ts`). Probes live one file per class under `probes/`; adding one
 * is adding an entry to its class (a new class file is listed in `PROBES` below).
 *
 * Expectations (exactly one):
 * - `refused`: the submit fails with `Plugin "<plugin>" is not permitted to <refused>`;
 * - `answers`: the submit succeeds and what `attempt` returned, as JSON, matches;
 * - `replaced`: the submit fails because the runner was replaced, with this message;
 * - `fails`: the submit fails with this message (the instance carries on).
 *
 * In every pattern `<plugin>`, `<instance>` and `<attacker>` stand for the plugin's name,
 * the attacking user's instance key and user name.
 *
 * @module
 */
import { FILE_PROBES } from "./probes/files.ts";
import { FORGED_MESSAGE_PROBES } from "./probes/forged_messages.ts";
import { IMPORT_PROBES } from "./probes/imports.ts";
import { JOB_STORE_PROBES } from "./probes/job_store.ts";
import { LINK_AND_MODE_PROBES } from "./probes/links_and_modes.ts";
import { NETWORK_PROBES } from "./probes/network.ts";
import type { Probe } from "./probes/_probe.ts";
import { PROCESS_PROBES } from "./probes/processes.ts";
import { PROGRAM_PROBES } from "./probes/programs.ts";
import { PROTOTYPE_PROBES } from "./probes/prototypes.ts";
import { RUNNER_LIFE_PROBES } from "./probes/runner_life.ts";
import { STDIN_STEAL_PROBE, STDOUT_PROBES } from "./probes/stdio.ts";
import { SYSTEM_PROBES } from "./probes/system.ts";
import { WORKER_PROBES } from "./probes/workers.ts";

export type { Level, Probe, ProbeInput } from "./probes/_probe.ts";

/** Every probe, in the order the suite runs them. */
export const PROBES: Probe[] = [
  ...FILE_PROBES,
  ...IMPORT_PROBES,
  ...LINK_AND_MODE_PROBES,
  ...SYSTEM_PROBES,
  ...PROGRAM_PROBES,
  ...NETWORK_PROBES,
  ...WORKER_PROBES,
  ...RUNNER_LIFE_PROBES,
  ...JOB_STORE_PROBES,
  ...FORGED_MESSAGE_PROBES,
  ...STDOUT_PROBES,
  ...PROCESS_PROBES,
  ...PROTOTYPE_PROBES,
  // last: it leaves a read pending on the runner's stdin
  STDIN_STEAL_PROBE,
];
