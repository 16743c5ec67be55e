import { parseArgs } from "node:util";
import { runCommand } from "./client_commands.ts";
import { startClientHost } from "./client_host.ts";
import { runDemo } from "./client_demo.ts";
import { writeStdout } from "./exit.ts";
import { UsageError } from "./usage_error.ts";

const CLIENT_HELP = `launchbox client: drive a plugin host the way the Posit Job Launcher does

  launchbox client demo [--plugin-name N] [--plugins-dir D]
  launchbox client submit (--command CMD | --exe PATH [--arg A]...) [--name N] [--tag T]... [--wait]
  launchbox client jobs [--status S]... [--tag T]...
  launchbox client status ID          follow a job until it ends
  launchbox client output ID [--type stdout|stderr|both]
  launchbox client control ID suspend|resume|stop|kill|cancel
  launchbox client cluster

Common options: --plugin-name N (default inmemory), --plugins-dir D, --config-file F,
--user U (default $USER), --scratch-path S (default ~/.local/state/launchbox/<plugin>).
Each command starts a host on that scratch path, so jobs persist between commands.
`;

const COMMANDS = ["submit", "jobs", "status", "output", "control", "cluster"];

const OPTIONS = {
  "plugin-name": { type: "string" },
  "plugins-dir": { type: "string" },
  "config-file": { type: "string" },
  "scratch-path": { type: "string" },
  "user": { type: "string" },
  "command": { type: "string" },
  "exe": { type: "string" },
  "arg": { type: "string", multiple: true },
  "name": { type: "string" },
  "tag": { type: "string", multiple: true },
  "status": { type: "string", multiple: true },
  "type": { type: "string" },
  "wait": { type: "boolean" },
  "help": { type: "boolean" },
} as const;

/** `launchbox client <command>`: a Launcher stand-in for trying plugins without Workbench. */
export async function runClient(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === "demo") return await runDemo(rest);
  if (command === undefined || command === "--help" || command === "help") {
    writeStdout(CLIENT_HELP);
    return command === undefined ? 2 : 0;
  }
  if (!COMMANDS.includes(command)) {
    throw new UsageError(`Unknown client command "${command}" (see launchbox client --help)`);
  }
  const parsed = parse(rest);
  const plugin = parsed.values["plugin-name"] ?? "inmemory";
  const scratch = parsed.values["scratch-path"] ?? defaultScratch(plugin);
  const hostArgs = [
    `--plugin-name=${plugin}`,
    `--scratch-path=${scratch}`,
    `--logging-dir=${scratch}/log`,
  ];
  if (parsed.values["plugins-dir"]) hostArgs.push(`--plugins-dir=${parsed.values["plugins-dir"]}`);
  if (parsed.values["config-file"]) hostArgs.push(`--config-file=${parsed.values["config-file"]}`);
  const user = parsed.values.user ?? Deno.env.get("USER") ?? "root";
  await using host = await startClientHost(hostArgs, user);
  await runCommand(command, host, {
    positionals: parsed.positionals,
    values: multiMap(parsed.values),
  });
  return 0;
}

function parse(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see launchbox client --help)`);
  }
}

function defaultScratch(plugin: string): string {
  const state = Deno.env.get("XDG_STATE_HOME") ?? `${Deno.env.get("HOME") ?? "/tmp"}/.local/state`;
  return `${state}/launchbox/${plugin}`;
}

function multiMap(values: Record<string, unknown>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    map.set(key, Array.isArray(value) ? value.map(String) : [String(value)]);
  }
  return map;
}
