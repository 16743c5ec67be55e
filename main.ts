/**
 * Launchbox: one binary, several modes (docs/architecture.md). This file only picks the mode; each
 * mode's module is imported when chosen, so a Launcher host, a task runtime or a runner
 * loads only what it uses.
 *
 * @module
 */
import { runMain, writeStdout } from "./src/cli/exit.ts";
import { decideMode } from "./src/cli/mode.ts";

/**
 * Each mode's module. The specifiers are computed, not literal, so `deno run` does not
 * build every mode's module graph at start-up (6–8 ms); `bin/build` passes each of them to
 * `deno compile --include` so the binary embeds them all.
 */
export const MODE_MODULES = {
  launcher: "./src/cli/launcher_mode.ts",
  airflow: "./src/cli/airflow_mode.ts",
  check: "./src/cli/check_command.ts",
  new: "./src/cli/new/mod.ts",
  airflowTest: "./src/cli/airflow_test_command.ts",
  client: "./src/cli/client/mod.ts",
  runner: "./src/sandbox/runner_main.ts",
  help: "./src/cli/help.ts",
} as const;

type Modules = {
  launcher: typeof import("./src/cli/launcher_mode.ts");
  airflow: typeof import("./src/cli/airflow_mode.ts");
  check: typeof import("./src/cli/check_command.ts");
  new: typeof import("./src/cli/new/mod.ts");
  airflowTest: typeof import("./src/cli/airflow_test_command.ts");
  client: typeof import("./src/cli/client/mod.ts");
  runner: typeof import("./src/sandbox/runner_main.ts");
  help: typeof import("./src/cli/help.ts");
};

function load<K extends keyof Modules>(key: K): Promise<Modules[K]> {
  const specifier: string = MODE_MODULES[key];
  return import(specifier);
}

if (import.meta.main) {
  await runMain(async () => {
    const mode = decideMode(Deno.args);
    switch (mode.kind) {
      case "launcher":
        return await (await load("launcher")).runLauncherMode(mode.args);
      case "airflow":
        return await (await load("airflow")).runAirflowMode(mode.args);
      case "airflow-metadata":
        return await (await load("airflow")).runAirflowMetadata(mode.args);
      case "check":
        return await (await load("check")).runCheck(mode.args);
      case "new":
        return await (await load("new")).runNew(mode.args);
      case "airflow-test":
        return await (await load("airflowTest")).runAirflowTest(mode.args);
      case "client":
        return await (await load("client")).runClient(mode.args);
      case "runner":
        return await (await load("runner")).runRunner(mode.args);
      case "version":
        return writeStdout((await load("help")).VERSION_TEXT);
      case "help":
        return writeStdout((await load("help")).HELP_TEXT);
    }
  });
}
