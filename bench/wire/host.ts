import { LauncherClient } from "../../src/launcher/launcher_client.ts";

export const ROOT = new URL("../../", import.meta.url).pathname;
const FLAGS = Deno.readTextFileSync(`${ROOT}bin/ceiling.flags`).split("\n").filter(Boolean);

/** The `deno run` command the budgets are measured with (no wrapper script in between). */
export function hostCommand(args: string[]): { command: string; args: string[] } {
  return {
    command: Deno.execPath(),
    args: ["run", ...FLAGS, "--config", `${ROOT}deno.json`, `${ROOT}main.ts`, ...args],
  };
}

/** A host in plugin mode on a fresh scratch directory, with its Launcher-side client. */
export async function startHost(
  options: { plugin?: string; pluginsDir?: string; config?: string[] } = {},
) {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-bench-" });
  const plugin = options.plugin ?? "inmemory";
  await Deno.writeTextFile(
    `${scratch}/launcher.${plugin}.conf`,
    (options.config ?? []).join("\n") + "\n",
  );
  const { command, args } = hostCommand([
    "--heartbeat-interval-seconds=0",
    `--plugin-name=${plugin}`,
    `--scratch-path=${scratch}`,
    `--logging-dir=${scratch}/log`,
    `--config-file=${scratch}/launcher.${plugin}.conf`,
    ...(options.pluginsDir ? [`--plugins-dir=${options.pluginsDir}`] : []),
  ]);
  const started = performance.now();
  const child = new Deno.Command(command, { args, stdin: "piped", stdout: "piped", stderr: "null" })
    .spawn();
  const client = new LauncherClient(child.stdout, child.stdin, { maxFrameBytes: 64 * 1024 * 1024 });
  return {
    client,
    child,
    scratch,
    started,
    async stop() {
      await client.close();
      await child.status;
      await Deno.remove(scratch, { recursive: true }).catch(() => {});
    },
  };
}

/** A user request with the fields the Launcher always sends. */
export function request(
  client: LauncherClient,
  messageType: number,
  user: string,
  extra: Record<string, unknown> = {},
) {
  return {
    messageType,
    requestId: client.nextRequestId(),
    username: user,
    requestUsername: user,
    ...extra,
  };
}
