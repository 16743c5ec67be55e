/**
 * Launchbox: one binary, several modes (DESIGN.md §1). This file only picks the mode.
 *
 * @module
 */
import { runAirflowMetadata, runAirflowMode } from "./src/cli/airflow_mode.ts";
import { runCheck } from "./src/cli/check_command.ts";
import { runClient } from "./src/cli/client_command.ts";
import { runMain, writeStdout } from "./src/cli/exit.ts";
import { HELP_TEXT, VERSION_TEXT } from "./src/cli/help.ts";
import { runLauncherMode } from "./src/cli/launcher_mode.ts";
import { decideMode } from "./src/cli/mode.ts";
import { runRunner } from "./src/sandbox/runner_main.ts";

await runMain(async () => {
  const mode = decideMode(Deno.args);
  switch (mode.kind) {
    case "launcher":
      return await runLauncherMode(mode.args);
    case "airflow":
      return await runAirflowMode(mode.args);
    case "airflow-metadata":
      return await runAirflowMetadata(mode.args);
    case "check":
      return await runCheck(mode.args);
    case "client":
      return await runClient(mode.args);
    case "runner":
      return await runRunner(mode.args);
    case "version":
      return writeStdout(VERSION_TEXT);
    case "help":
      return writeStdout(HELP_TEXT);
  }
});
