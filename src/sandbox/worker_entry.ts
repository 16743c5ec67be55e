/// <reference lib="deno.worker" />
/**
 * The Worker that holds one plugin instance inside a runner process. Its permissions are
 * the instance's (set by the runner); this bootstrap module is loaded with the runner's.
 * It routes console output to log messages, turns errors of calls into error replies and
 * errors outside calls into a crash report, and serves the host's calls.
 *
 * @module
 */
import type { LauncherPlugin, LauncherPluginDefinition, PluginContext } from "../sdk/mod.ts";
import { toWireError } from "./codec.ts";
import { routeConsole as routeAllConsole } from "./airflow_worker_console.ts";
import { crashReport } from "./crash_report.ts";
import { type ExplainOptions, explainRefusal } from "./friendly_error.ts";
import { describeLoadFailure, missingDefinition } from "./load_failure.ts";
import {
  type HostMessage,
  type PluginMethod,
  type RunnerInit,
  type RunnerMessage,
  STREAM_METHODS,
} from "./rpc.ts";
import { workerContext } from "./worker_context.ts";
import { RUNNER_STREAM_WINDOW_ITEMS } from "./constants.ts";
import { MessageBatch } from "./message_batch.ts";

// Messages of one burst (the replies to a batch of calls, their log lines) go to the runner
// together; a message that changes the instance's state goes at once, after the others.
const outgoing = new MessageBatch<RunnerMessage>((messages) =>
  self.postMessage(messages.length === 1 ? messages[0] : messages)
);
const AT_ONCE = new Set<RunnerMessage["t"]>(["ready", "fatal", "crashed", "stopped"]);
const post = (message: RunnerMessage) => {
  outgoing.push(message);
  if (AT_ONCE.has(message.t)) outgoing.flush();
};
const calls = new Map<number, AbortController>();
const METHODS: PluginMethod[] = [
  "submitJob",
  "controlJob",
  "jobOutput",
  "jobResourceUtil",
  "jobNetwork",
  "clusterInfo",
  "recover",
  "reloadConfig",
  "syncNodes",
];
let plugin: LauncherPlugin | undefined;
let pluginName = "plugin";
let pluginDir = "/nonexistent";
let explain: ExplainOptions = {};
let jobsReplies: ((message: Extract<HostMessage, { t: "jobsReply" }>) => void) | undefined;

routeConsole();
refuseExit();
// Plugin code that throws outside every call (a timer, an unhandled rejection) leaves the
// plugin in a state nobody knows: the instance ends with a report naming the error, and
// the host reconciles its unfinished jobs (src/host/crash_reconciler.ts).
self.addEventListener("error", (event) => {
  event.preventDefault();
  crashed(event.error ?? new Error(event.message));
});
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  crashed(event.reason);
});

let crashReported = false;
function crashed(reason: unknown): void {
  if (crashReported) return;
  crashReported = true;
  post({ t: "crashed", ...crashReport(reason, { name: pluginName, dir: pluginDir, ...explain }) });
}

self.onmessage = (event: MessageEvent<HostMessage | HostMessage[]>) => {
  const data = event.data;
  if (Array.isArray(data)) data.forEach(receive);
  else receive(data);
};

function receive(message: HostMessage): void {
  switch (message.t) {
    case "init":
      return void start(message.init);
    case "call":
      return void serve(message);
    case "cancel":
      return calls.get(message.id)?.abort(new DOMException("Canceled by the host", "AbortError"));
    case "more":
      return credits.get(message.id)?.give(message.n);
    case "jobsReply":
      return jobsReplies?.(message);
    case "ping":
      return post({ t: "pong", id: message.id });
    case "stop":
      return void stop();
  }
}

async function start(init: RunnerInit): Promise<void> {
  pluginName = init.pluginName;
  pluginDir = init.pluginDir ?? init.entryPath.slice(0, init.entryPath.lastIndexOf("/"));
  explain = init.scratchPath ? { scratch: init.scratchPath } : {};
  try {
    // This module is loaded with the runner's permissions, and so is every module graph it
    // starts with a literal specifier, the literal dynamic imports inside that graph
    // included. The plugin's graph starts here from a computed URL, so Deno loads and
    // checks it with the Worker's permissions (hostile probes import_etc_shadow, …).
    const module = await import(new URL(`file://${init.entryPath}`).href).catch((error) => {
      throw describeLoadFailure(error, init.entryPath);
    });
    const definition = module.default as Partial<LauncherPluginDefinition> | undefined;
    if (definition?.kind !== "launcher" || typeof definition.create !== "function") {
      throw missingDefinition(init.entryPath, "launcher");
    }
    if (init.loadOnly) return post({ t: "ready", methods: [] });
    const { ctx, onJobsReply } = workerContext(init, post);
    jobsReplies = onJobsReply;
    plugin = await definition.create(ctx satisfies PluginContext);
    post({ t: "ready", methods: METHODS.filter((name) => typeof plugin![name] === "function") });
  } catch (error) {
    const explained = explainRefusal(error, pluginName, explain);
    const wire = toWireError(explained);
    wire.message = `Cannot load plugin "${pluginName}": ${wire.message}`;
    post({ t: "fatal", error: wire });
  }
}

async function serve(call: Extract<HostMessage, { t: "call" }>): Promise<void> {
  const controller = new AbortController();
  calls.set(call.id, controller);
  const signal = controller.signal;
  try {
    const method = plugin?.[call.method] as ((...args: unknown[]) => unknown) | undefined;
    if (!plugin || !method) {
      throw new TypeError(`Plugin "${pluginName}" has no method ${call.method}`);
    }
    const options = call.method === "clusterInfo" ? { user: call.user ?? "*", signal } : { signal };
    const result = method.apply(plugin, [...call.args, options]);
    if (STREAM_METHODS.has(call.method)) {
      const credit = streamCredit(call.id, signal);
      for await (const value of result as AsyncIterable<unknown>) {
        if (signal.aborted) break;
        await credit.take();
        if (signal.aborted) break;
        post({ t: "item", id: call.id, value });
      }
      post({ t: "end", id: call.id });
    } else {
      post({ t: "result", id: call.id, value: await result });
    }
  } catch (error) {
    post({
      t: "error",
      id: call.id,
      error: toWireError(explainRefusal(error, pluginName, explain)),
    });
  } finally {
    calls.delete(call.id);
    credits.delete(call.id);
  }
}

/** Items stream `id` may still send before the host asks for more (see the window). */
const credits = new Map<number, { give(n: number): void }>();

function streamCredit(id: number, signal: AbortSignal): { take(): Promise<void> } {
  let left = RUNNER_STREAM_WINDOW_ITEMS;
  let wake: (() => void) | undefined;
  const release = () => wake?.();
  credits.set(id, {
    give(n) {
      left += Number.isSafeInteger(n) && n > 0 ? n : 0;
      release();
    },
  });
  signal.addEventListener("abort", release, { once: true });
  return {
    async take() {
      while (left <= 0 && !signal.aborted) await new Promise<void>((resolve) => wake = resolve);
      left -= 1;
    },
  };
}

async function stop(): Promise<void> {
  for (const controller of calls.values()) controller.abort();
  try {
    await plugin?.close?.();
  } catch (error) {
    post({ t: "log", level: "warn", msg: `Plugin close failed: ${(error as Error).message}` });
  }
  post({ t: "stopped" });
}

/**
 * `Deno.exit`, `process.exit` (which calls it) and `self.close` would end the Worker
 * without a word to the runner (see specs/deno-runtime-notes.md §2); they throw instead,
 * so the call at fault fails with a message naming the plugin.
 */
function refuseExit(): void {
  const refuse = (what: string) => {
    const error = new Error(`Plugin "${pluginName}" is not permitted to ${what}`);
    error.name = "NotCapable";
    throw error;
  };
  Object.defineProperty(Deno, "exit", {
    value: (code?: number) => refuse(`exit its runner (Deno.exit(${code ?? ""}))`),
    configurable: false,
    writable: false,
  });
  Object.defineProperty(self, "close", {
    value: () => refuse("close its Worker (self.close())"),
    configurable: false,
    writable: false,
  });
}

/** Every console method becomes a log message: nothing a plugin prints reaches the runner's stdout. */
function routeConsole(): void {
  routeAllConsole((level, msg) =>
    post({
      t: "log",
      level: level === "warning" ? "warn" : level,
      msg,
      fields: { source: "console" },
    })
  );
}
