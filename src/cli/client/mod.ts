import { parseArgs } from "node:util";
import { writeStdout } from "../exit.ts";
import { UsageError } from "../usage_error.ts";
import { useBackgroundHost } from "./background_host.ts";
import { CLIENT_COMMANDS, type ClientCommand, commandHelp, HOST_OPTIONS } from "./command_table.ts";
import { runCommand } from "./commands.ts";
import { runDemo } from "./demo.ts";
import { runHostCommand } from "./host_command.ts";
import { hostConfigFrom, invokingUser, stopCommand } from "./host_options.ts";

const CLIENT_HELP = `launchbox client: drive a plugin host the way the Posit Job Launcher does

  launchbox client demo     a short Launcher session with a private host
                            [--plugin-name N] [--plugins-dir D] [--user U]
  launchbox client demo --nodes 3
                            three hosts on one PostgreSQL job store: submit on
                            one, watch on another, stop from the third (the
                            checkout's private PostgreSQL, or --job-store-url URL)
${
  Object.entries(CLIENT_COMMANDS).map(([name, c]) =>
    `  launchbox client ${name.padEnd(8)} ${c.summary}`
  ).join("\n")
}
  launchbox client host     start|stop|status the background host the commands use

Jobs keep running between commands: the first command starts a background host for its
plugin and scratch path (detached, logging to <scratch>/client-host/host.log) and later
commands reuse it, until \`launchbox client host stop\`. --scratch-path defaults to
/var/lib/launchbox/client/<plugin> as root, else /var/tmp/launchbox-<uid>/<plugin>;
--plugin-name to inmemory; --user to you.

  launchbox client submit --plugin-name local --command 'echo hello; sleep 5' --wait
  launchbox client jobs --plugin-name local

launchbox client COMMAND --help shows a command's options.
`;

/** `launchbox client <command>`: a Launcher stand-in for trying plugins without Workbench. */
export async function runClient(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === "demo") return await runDemo(rest);
  if (name === "host") return await runHostCommand(rest);
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    writeStdout(CLIENT_HELP);
    return name === undefined ? 2 : 0;
  }
  const command = CLIENT_COMMANDS[name];
  if (!command) {
    throw new UsageError(`Unknown client command "${name}" (see launchbox client --help)`);
  }
  const parsed = parse(name, command, rest);
  if (parsed.values.help) {
    writeStdout(commandHelp(name, command));
    return 0;
  }
  const values = parsed.values as Record<string, string | undefined>;
  const config = hostConfigFrom(values);
  const user = values.user ?? invokingUser();
  await using host = await useBackgroundHost(config, user, stopCommand(config));
  return await runCommand(name, host, {
    positionals: parsed.positionals,
    values: multiMap(parsed.values),
  });
}

function parse(name: string, command: ClientCommand, args: string[]) {
  const options = Object.fromEntries(
    Object.entries({ ...HOST_OPTIONS, ...command.options }).map(([key, option]) => [
      key,
      { type: option.type, ...(option.multiple ? { multiple: true } : {}) },
    ]),
  );
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    const wanted = command.positionals?.split(" ").length ?? 0;
    if (!parsed.values.help && parsed.positionals.length > wanted) {
      throw new TypeError(`Unexpected argument "${parsed.positionals[wanted]}"`);
    }
    return parsed;
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see launchbox client ${name} --help)`);
  }
}

function multiMap(values: Record<string, unknown>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    map.set(key, Array.isArray(value) ? value.map(String) : [String(value)]);
  }
  return map;
}
