/** Processes the plugin starts through its run grant: which go with the runner. */
import { spawnSleep } from "./_helpers.ts";
import type { Probe } from "./_probe.ts";

export const PROCESS_PROBES: Probe[] = [
  {
    name: "child_in_runner_group",
    attempt: async () => spawnSleep(false),
    answers: /^\d+$/,
    afterStop: "gone",
  },
  {
    name: "child_of_crashed_runner",
    attempt: async ({ ctx }) => {
      await Deno.writeTextFile(`${ctx.instanceDir}/child.pid`, String(spawnSleep(false)));
      // The bootstrap reports an uncaught error as a crash and keeps it from ending the
      // Worker with preventDefault; disarmed, the error reaches the runner too. Either way
      // the runner exits by itself (no kill from the host), naming the error.
      Event.prototype.preventDefault = () => {};
      setTimeout(() => {
        throw new Error("crashing on purpose");
      });
      return await new Promise(() => {});
    },
    replaced:
      /^Plugin "<plugin>" instance "<instance>" crashed before answering: .*crashing on purpose/,
    afterStop: "gone",
    pidFile: "child.pid",
  },

  {
    name: "child_detached",
    attempt: async () => spawnSleep(true),
    answers: /^\d+$/,
    afterStop: "survives",
  },
];
