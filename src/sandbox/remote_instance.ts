import type { LauncherPlugin } from "../sdk/mod.ts";
import type { RemotePlugin } from "./remote_plugin.ts";
import type { PluginMethod } from "./rpc.ts";

/** A runner seen as a plugin: the SDK interface plus health, exit and stop. */
export type RemoteInstance = LauncherPlugin & AsyncDisposable & {
  ping(timeoutMs: number): Promise<void>;
  readonly exited: Promise<string>;
  readonly pid: number;
};

/**
 * Presents a runner through the `LauncherPlugin` interface, with only the optional
 * methods the plugin really has (so the host can tell "not implemented" apart).
 */
export function remoteInstance(remote: RemotePlugin): RemoteInstance {
  const call = (method: PluginMethod, args: unknown[], signal: AbortSignal, user?: string) =>
    remote.call(method, args, signal, user) as Promise<never>;
  const stream = (method: PluginMethod, args: unknown[], signal: AbortSignal) =>
    remote.stream(method, args, signal) as AsyncIterable<never>;
  const all: LauncherPlugin = {
    submitJob: (job, { signal }) => call("submitJob", [job], signal),
    controlJob: (job, op, { signal }) => call("controlJob", [job, op], signal),
    jobOutput: (job, wanted, { signal }) => stream("jobOutput", [job, wanted], signal),
    jobResourceUtil: (job, { signal }) => stream("jobResourceUtil", [job], signal),
    jobNetwork: (job, { signal }) => call("jobNetwork", [job], signal),
    clusterInfo: ({ user, signal }) => call("clusterInfo", [], signal, user),
    recover: (jobs, { signal }) => call("recover", [jobs], signal),
    reloadConfig: ({ signal }) => call("reloadConfig", [], signal),
    syncNodes: (nodes, { signal }) => call("syncNodes", [nodes], signal),
  };
  const instance: Record<string | symbol, unknown> = {
    ping: (timeoutMs: number) => remote.ping(timeoutMs),
    exited: remote.exited,
    pid: remote.pid,
    [Symbol.asyncDispose]: () => remote[Symbol.asyncDispose](),
  };
  for (const [name, method] of Object.entries(all)) {
    if (remote.methods.has(name as PluginMethod)) instance[name] = method;
  }
  return instance as unknown as RemoteInstance;
}
