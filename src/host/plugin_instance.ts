import type { LauncherPlugin } from "../sdk/mod.ts";

/**
 * A running plugin instance: the plugin interface plus a way to stop it. Owned by this
 * small module so the pool, its supervisors and the call tracker all import it downward.
 */
export interface PluginInstance extends LauncherPlugin, AsyncDisposable {}
