import { UserDirectory } from "../../sandbox/users.ts";
import { ensureDirectory } from "../directories.ts";
import { UsageError } from "../usage_error.ts";
import type { HostConfig } from "./host_config.ts";
import { defaultScratch, defaultScratchChain } from "./private_dir.ts";

/** The host options of a client command, as parsed. */
export interface HostValues {
  readonly "plugin-name"?: string | undefined;
  readonly "plugins-dir"?: string | undefined;
  readonly "config-file"?: string | undefined;
  readonly "scratch-path"?: string | undefined;
}

/** Which background host a command means: plugin, canonical scratch path, plugin options. */
export function hostConfigFrom(values: HostValues): HostConfig {
  const plugin = values["plugin-name"] ?? "inmemory";
  const given = values["scratch-path"];
  let scratch: string;
  if (given === undefined) scratch = defaultScratch(plugin);
  else {
    ensureDirectory(given, "--scratch-path", "--scratch-path", 0o700);
    scratch = Deno.realPathSync(given);
  }
  const pluginsDir = existing(values["plugins-dir"], "--plugins-dir");
  const configFile = existing(values["config-file"], "--config-file");
  return {
    plugin,
    scratch,
    ...(pluginsDir ? { pluginsDir } : {}),
    ...(configFile ? { configFile } : {}),
  };
}

/** The command that stops this host, for messages (options only where not the default). */
export function stopCommand(config: HostConfig): string {
  const words = ["launchbox client host stop"];
  if (config.plugin !== "inmemory") words.push(`--plugin-name ${config.plugin}`);
  if (!isDefaultScratch(config)) words.push(`--scratch-path ${config.scratch}`);
  return words.join(" ");
}

/** The invoking user's name (the default `--user`), from the passwd file. */
export function invokingUser(): string {
  const uid = Deno.uid();
  const user = uid === null ? undefined : new UserDirectory().byUid(uid);
  if (!user) {
    throw new UsageError(`Cannot find your account (uid ${uid}) in /etc/passwd; pass --user`);
  }
  return user.name;
}

function isDefaultScratch(config: HostConfig): boolean {
  return config.scratch === defaultScratchChain(config.plugin).at(-1);
}

/** A given path, canonical; one that does not exist is a usage error naming the option. */
function existing(path: string | undefined, option: string): string | undefined {
  if (path === undefined) return undefined;
  try {
    return Deno.realPathSync(path);
  } catch (error) {
    throw new UsageError(`Cannot use ${option} ${path}: ${(error as Error).message}`);
  }
}
