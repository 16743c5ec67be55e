/**
 * Launchbox: one binary, several modes (DESIGN.md §1). This file only picks the mode; each
 * mode's code is imported when chosen, so a task runtime or a runner loads only what it
 * uses. The specifiers are literals, so `deno compile` still embeds every mode.
 *
 * @module
 */
import { runMain, writeStdout } from "./src/cli/exit.ts";
import { decideMode } from "./src/cli/mode.ts";

await runMain(async () => {
  const mode = decideMode(Deno.args);
  switch (mode.kind) {
    case "launcher":
      return await (await import("./src/cli/launcher_mode.ts")).runLauncherMode(mode.args);
    case "airflow":
      return await (await import("./src/cli/airflow_mode.ts")).runAirflowMode(mode.args);
    case "airflow-metadata":
      return await (await import("./src/cli/airflow_mode.ts")).runAirflowMetadata(mode.args);
    case "check":
      return await (await import("./src/cli/check_command.ts")).runCheck(mode.args);
    case "client":
      return await (await import("./src/cli/client_command.ts")).runClient(mode.args);
    case "runner":
      return await (await import("./src/sandbox/runner_main.ts")).runRunner(mode.args);
    case "version":
      return writeStdout((await import("./src/cli/help.ts")).VERSION_TEXT);
    case "help":
      return writeStdout((await import("./src/cli/help.ts")).HELP_TEXT);
  }
});
