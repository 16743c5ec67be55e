import type { Clock, Job, JobsHandle, LogFields, Logger, PluginContext } from "../sdk/mod.ts";
import type { HostMessage, JobsOperation, RunnerInit, RunnerMessage } from "./rpc.ts";

type JobsReply = Extract<HostMessage, { t: "jobsReply" }>;

/** The `ctx` a plugin gets inside its Worker: jobs and logs travel to the host as messages. */
export function workerContext(
  init: RunnerInit,
  post: (message: RunnerMessage) => void,
): { ctx: PluginContext; onJobsReply: (reply: JobsReply) => void } {
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const ask = (op: JobsOperation, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      post({ t: "jobs", id, op, args });
    });
  const jobs: JobsHandle = {
    get: (id) => ask("get", [id]) as Promise<Job | undefined>,
    list: (filter) => ask("list", [filter ?? {}]) as Promise<Job[]>,
    update: (id, change) => ask("update", [id, change]) as Promise<Job | undefined>,
  };
  const onJobsReply = (reply: JobsReply) => {
    const waiter = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.error) {
      waiter?.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    } else waiter?.resolve(reply.value ?? undefined); // JSON carries "no job" as null
  };
  const ctx: PluginContext = {
    pluginName: init.pluginName,
    instanceKey: init.instanceKey,
    instanceDir: init.instanceDir,
    config: init.config,
    log: postingLogger(post, {}, init.debug),
    clock: realClock,
    jobs,
  };
  return { ctx, onJobsReply };
}

function postingLogger(
  post: (message: RunnerMessage) => void,
  base: LogFields,
  debug: boolean,
): Logger {
  const at = (level: "debug" | "info" | "warn" | "error") => (msg: string, fields?: LogFields) => {
    if (level === "debug" && !debug) return;
    post({ t: "log", level, msg, fields: { ...base, ...fields } });
  };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    with: (fields) => postingLogger(post, { ...base, ...fields }, debug),
  };
}

const realClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(signal.reason);
      }, { once: true });
    }),
};
