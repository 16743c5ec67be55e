/** What a background client host serves: one plugin on one scratch path. */
export interface HostConfig {
  readonly plugin: string;
  /** Absolute, canonical. */
  readonly scratch: string;
  readonly pluginsDir?: string;
  readonly configFile?: string;
}

/** The files of a background host, in a 0700 directory under its scratch path. */
export interface HostPaths {
  readonly dir: string;
  readonly socket: string;
  readonly lock: string;
  readonly log: string;
}

/** Where the background host of `scratch` keeps its socket, lock and log. */
export function hostPaths(scratch: string): HostPaths {
  const dir = `${scratch}/client-host`;
  return { dir, socket: `${dir}/host.sock`, lock: `${dir}/host.lock`, log: `${dir}/host.log` };
}

/** The plugin-mode arguments of the plugin host serving `config`. */
export function pluginHostArgs(config: HostConfig): string[] {
  return [
    `--plugin-name=${config.plugin}`,
    `--scratch-path=${config.scratch}`,
    `--logging-dir=${config.scratch}/log`,
    ...(config.pluginsDir ? [`--plugins-dir=${config.pluginsDir}`] : []),
    ...(config.configFile ? [`--config-file=${config.configFile}`] : []),
  ];
}
