/** What several probes share: Workers, node emitters, frames and processes. */
export const enc = new TextEncoder();
/** The Worker's own `postMessage`: the channel to the runner the plugin shares with its bootstrap. */
export const post = (message: unknown) =>
  (globalThis as unknown as { postMessage(message: unknown): void }).postMessage(message);

/** The message a Worker started from `source` posts back, or its error. */
export function workerReply(source: string, options: Record<string, unknown>): Promise<unknown> {
  const url = `data:text/javascript,${encodeURIComponent(source)}`;
  const worker = new Worker(url, { type: "module", ...options });
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new Error(event.message));
    };
  });
}

/** The `error` (or `exit`) a node child process or worker reports. */
export function nodeOutcome(emitter: {
  on(event: string, listener: (value: unknown) => void): unknown;
}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    emitter.on("error", (error) => reject(error));
    emitter.on("exit", (code) => resolve({ exit: code }));
    emitter.on("message", (message) => resolve(message));
  });
}

/** A specifier the type checker and lockfile do not see (they would fetch it themselves). */
export function dynamic(specifier: string): string {
  return [specifier][0]!;
}

export async function readAll(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names;
}

/** Starts `sleep 300` through the run grant, in the runner's process group or its own. */
export function spawnSleep(detached: boolean): number {
  const stdio = { stdin: "null", stdout: "null", stderr: "null" } as const;
  const child = new Deno.Command("/bin/sleep", { args: ["300"], detached, ...stdio }).spawn();
  child.unref();
  return child.pid;
}

/** A frame as the runner writes them: 4-byte big-endian length, then JSON. */
export function frame(message: unknown): Uint8Array {
  const body = enc.encode(JSON.stringify(message));
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}
