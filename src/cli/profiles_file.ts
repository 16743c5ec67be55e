import { type ResolvedProfile, UserProfiles } from "../host/user_profiles.ts";
import type { UserDirectory } from "../sandbox/users.ts";
import { ConfigReloadError } from "../sdk/mod.ts";
import { defaultConfigPath } from "./config_file.ts";
import type { LauncherOptions } from "./launcher_options.ts";
import { UsageError } from "./usage_error.ts";

/**
 * Where the user profiles live: `launcher.<name>.profiles.conf` beside the config file in
 * use, or in the Launcher's config directory when there is none.
 */
export function profilesPath(options: LauncherOptions, pluginName: string): string {
  const leaf = `launcher.${options.pluginName || pluginName}.profiles.conf`;
  if (!options.configFile) return defaultConfigPath(leaf);
  return `${options.configFile.slice(0, options.configFile.lastIndexOf("/") + 1)}${leaf}`;
}

/** Reads a profiles file; a missing one sets nothing. Throws a `RangeError` on bad content. */
export function readProfiles(path: string): UserProfiles {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return UserProfiles.none();
    throw new RangeError(`Cannot read user profiles ${path}: ${(error as Error).message}`);
  }
  return UserProfiles.parse(text, path);
}

/**
 * The host's user profiles: read at start (a bad file stops the start with its line named)
 * and again on ConfigReload (a bad file is refused and the previous profiles stay).
 */
export function loadProfiles(path: string, users: UserDirectory) {
  let profiles: UserProfiles;
  try {
    profiles = readProfiles(path);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    profileOf: (user: string): ResolvedProfile =>
      profiles.resolve(user, () => users.groupNamesOf(user)),
    reload(): Promise<void> {
      try {
        profiles = readProfiles(path);
      } catch (error) {
        return Promise.reject(new ConfigReloadError("load", (error as Error).message));
      }
      return Promise.resolve();
    },
  };
}
