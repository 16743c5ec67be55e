import type { Job } from "../job.ts";
import type { LauncherPlugin, LauncherPluginDefinition } from "../launcher_plugin.ts";
import {
  type ConformanceProfile,
  type ExpectedEnd,
  type ResolvedProfile,
  resolveProfile,
} from "./conformance_profile.ts";
import {
  checkClusterInfo,
  checkNoViolations,
  checkOutput,
  checkReachesTerminal,
  checkSubmit,
  checkTerminalStays,
  fail,
} from "./_checks.ts";
import {
  checkCancel,
  checkKill,
  checkLaunch,
  checkNetwork,
  checkRecover,
  checkResource,
  checkStop,
  checkStreamCancellation,
  checkSuspendResume,
  type Skipped,
} from "./_workflow_checks.ts";
import { createTestHost } from "./create_test_host.ts";
import type { TestHost } from "./test_host.ts";

/** What the steps of one tier share. */
interface TierState {
  finished?: Job;
}

/** One step of a tier: its name, why it does not apply (if so), and what it checks. */
interface Step {
  readonly name: string | ((profile: ResolvedProfile) => string);
  readonly skip?: (plugin: LauncherPlugin, profile: ResolvedProfile) => string | undefined;
  readonly run: (host: TestHost, profile: ResolvedProfile, state: TierState) => Promise<
    Skipped | void
  >;
}

const noRefusedChanges: Step = {
  name: "Host: no status change was refused",
  run: async (host) => checkNoViolations(host),
};

const INVARIANTS: readonly Step[] = [
  {
    name: "Submit: answers with JobUpdate fields and a legal status",
    run: (host, profile) => checkSubmit(host, profile),
  },
  {
    name: "Lifecycle: a normal job reaches a terminal status",
    run: async (host, profile, state) => {
      state.finished = await checkReachesTerminal(host, profile);
    },
  },
  {
    name: "Lifecycle: a terminal status never regresses",
    run: (host, _profile, state) =>
      checkTerminalStays(host, state.finished?.id ?? fail("No job ended in the previous step")),
  },
  {
    name: "ClusterInfo: answers with typed limits and consistent queues",
    run: (host, profile) => checkClusterInfo(host, profile),
  },
  {
    name: "Output: a finished job's stream has output and ends",
    skip: (_plugin, profile) =>
      profile.outputAvailable ? undefined : "profile.outputAvailable is false",
    run: (host, profile, state) => checkOutput(host, profile, { finished: state.finished }),
  },
  {
    name: "Recover: a restarted instance re-adopts a running job",
    skip: (plugin) => plugin.recover ? undefined : "the plugin has no recover",
    run: (host, profile) => checkRecover(host, profile),
  },
  noRefusedChanges,
];

const ends = (expected: ExpectedEnd) =>
  expected.status + (expected.exitCodes.length ? ` (exit ${expected.exitCodes.join(" or ")})` : "");

const WORKFLOWS: readonly Step[] = [
  {
    name: "Launch: a long-running job reaches Running",
    run: (host, profile) => checkLaunch(host, profile),
  },
  {
    name: "Network: a running job has a host and addresses",
    skip: (plugin, profile) =>
      !plugin.jobNetwork
        ? "the plugin has no jobNetwork"
        : !profile.networkAvailable
        ? "profile.networkAvailable is false"
        : undefined,
    run: (host, profile) => checkNetwork(host, profile),
  },
  {
    name: "Resource: samples hold finite numbers and the stream ends on abort",
    skip: (plugin) => plugin.jobResourceUtil ? undefined : "the plugin has no jobResourceUtil",
    run: (host, profile) => checkResource(host, profile),
  },
  {
    name: "StreamCancellation: an aborted output stream ends promptly",
    skip: (_plugin, profile) =>
      profile.outputAvailable ? undefined : "profile.outputAvailable is false",
    run: (host, profile) => checkStreamCancellation(host, profile),
  },
  {
    name: (profile) => `Stop: a running job ends as ${ends(profile.stop)}, leaving nothing running`,
    run: (host, profile) => checkStop(host, profile),
  },
  {
    name: (profile) => `Kill: a running job ends as ${ends(profile.kill)}, leaving nothing running`,
    run: (host, profile) => checkKill(host, profile),
  },
  {
    name: "Cancel: a pending job ends as Canceled",
    run: (host, profile) => checkCancel(host, profile),
  },
  {
    name: "SuspendResume: Running → Suspended → Running, then stop",
    skip: (_plugin, profile) =>
      profile.suspendSupported ? undefined : "profile.suspendSupported is false",
    run: (host, profile) => checkSuspendResume(host, profile),
  },
  noRefusedChanges,
];

/**
 * Registers the conformance suite for a launcher plugin: two `Deno.test`s,
 * `"<name> conformance: invariants"` (submit, lifecycle, cluster info, output, recover) and
 * `"<name> conformance: workflows"` (launch, network, resources, stream cancellation, stop,
 * kill, cancel, suspend/resume), each a list of steps run against one {@linkcode TestHost}.
 * Steps that do not apply to the plugin or the profile are reported as ignored, with the
 * reason in their name. Call it at the top level of a `_test.ts` file.
 *
 * @example
 * ```ts
 * import { definePlugin } from "../mod.ts";
 * import { conformance } from "./mod.ts";
 *
 * const plugin = definePlugin(() => ({
 *   async submitJob() {
 *     return { statusMessage: "Queued" };
 *   },
 *   async controlJob(_job, op) {
 *     return { statusMessage: `Job ${op} successful`, operationComplete: true };
 *   },
 *   async *jobOutput() {},
 *   async clusterInfo() {
 *     return { queues: ["default"], defaultQueue: "default" };
 *   },
 * }));
 *
 * // A test file calls conformance(...) at its top level; wrapped here so that
 * // type-checking this example does not register the suite.
 * export function registerSuite() {
 *   conformance(plugin, {
 *     name: "my-scheduler",
 *     config: { "poll-ms": "10" },
 *     longRunningJob: { command: "sleep 3600" },
 *     kill: { status: "Killed", exitCodes: [137, 143] },
 *     jobCompleteTimeoutMs: 5_000,
 *   });
 * }
 * ```
 */
export function conformance(
  definition: LauncherPluginDefinition,
  profile: ConformanceProfile,
): void {
  const resolved = resolveProfile(profile);
  registerTier("invariants", definition, resolved, INVARIANTS);
  registerTier("workflows", definition, resolved, WORKFLOWS);
}

function registerTier(
  tier: string,
  definition: LauncherPluginDefinition,
  profile: ResolvedProfile,
  steps: readonly Step[],
): void {
  if (profile.skip !== undefined) {
    const name = `${profile.name} conformance: ${tier} (skipped: ${profile.skip})`;
    return Deno.test({ name, ignore: true, fn: () => {} });
  }
  Deno.test(`${profile.name} conformance: ${tier}`, async (t) => {
    await using host = await createTestHost(definition, {
      config: profile.config,
      user: profile.user,
      pluginName: profile.name,
    });
    const state: TierState = {};
    for (const step of steps) await runStep(t, step, { host, profile, state });
  });
}

async function runStep(
  t: Deno.TestContext,
  step: Step,
  { host, profile, state }: { host: TestHost; profile: ResolvedProfile; state: TierState },
): Promise<void> {
  const name = typeof step.name === "function" ? step.name(profile) : step.name;
  const reason = step.skip?.(host.plugin, profile);
  if (reason) {
    await t.step({ name: `${name} (skipped: ${reason})`, ignore: true, fn: () => {} });
    return;
  }
  await t.step(name, async (t) => {
    const outcome = await step.run(host, profile, state);
    if (outcome) await t.step({ name: `skipped: ${outcome.skipped}`, ignore: true, fn: () => {} });
  });
}
