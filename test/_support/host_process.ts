import { LauncherClient } from "../../src/launcher/launcher_client.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
/** The wrapper that runs the host exactly as launcher.conf would (bin/launchbox). */
export const LAUNCHBOX = `${ROOT}bin/launchbox`;

/** Options for {@linkcode spawnHost}. */
export interface HostOptions {
  /** Extra arguments after the defaults (later ones win). */
  args?: string[];
  /** Plugin config file lines (`key=value`); fast simulated timings by default. */
  config?: string[];
  /** Reuse a scratch directory (to restart a host on the same job store). */
  scratch?: string;
  pluginsDir?: string;
  pluginName?: string;
  env?: Record<string, string>;
  /** A program and arguments that start `bin/launchbox` (with its arguments appended). */
  wrap?: string[];
  /** Keep stdin for raw bytes (`HostProcess.rawStdin`); the client then sends nowhere. */
  rawStdin?: boolean;
}

/** Fast lifecycle for the inmemory plugin: Pending 50 ms, Running 600 ms, a line per 100 ms. */
export const FAST_INMEMORY = ["pending-ms=50", "run-ms=600", "tick-ms=100"];
/** inmemory jobs that stay Pending for 1.5 s: for tests that look at a job before it runs. */
export const HELD_PENDING = ["pending-ms=1500", "run-ms=300", "tick-ms=100"];

/**
 * A Launchbox host started as the Launcher starts a plugin: piped stdio, a Launcher-side
 * client on its stdin/stdout, and its stderr kept to explain failures.
 */
export class HostProcess implements AsyncDisposable {
  readonly client: LauncherClient;
  readonly scratch: string;
  /** The host's stdin, when spawned with `rawStdin`. */
  readonly rawStdin: WritableStreamDefaultWriter<Uint8Array> | undefined;
  readonly #child: Deno.ChildProcess;
  readonly #stderr: Promise<string>;
  #status: Promise<Deno.CommandStatus>;

  #ownsScratch: boolean;

  constructor(
    child: Deno.ChildProcess,
    scratch: string,
    options: { rawStdin?: boolean; ownsScratch?: boolean } = {},
  ) {
    const rawStdin = options.rawStdin ?? false;
    this.#ownsScratch = options.ownsScratch ?? false;
    this.#child = child;
    this.scratch = scratch;
    this.rawStdin = rawStdin ? child.stdin.getWriter() : undefined;
    const requests = rawStdin ? new WritableStream<Uint8Array>() : child.stdin;
    this.client = new LauncherClient(child.stdout, requests, { maxFrameBytes: 64 * 1024 * 1024 });
    this.#stderr = new Response(child.stderr).text();
    this.#status = child.status;
  }

  get pid(): number {
    return this.#child.pid;
  }

  /** Everything the host wrote to stderr (complete once it has exited). */
  stderr(): Promise<string> {
    return this.#stderr;
  }

  kill(signal: Deno.Signal): void {
    this.#child.kill(signal);
  }

  /** The exit status (waits for exit). */
  status(): Promise<Deno.CommandStatus> {
    return this.#status;
  }

  /** Closes stdin (the Launcher's way to stop a plugin) and waits for the exit. */
  async stop(): Promise<Deno.CommandStatus> {
    await this.client.close();
    return await this.#status;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // already exited
    }
    await this.#status;
    await this.client[Symbol.asyncDispose]();
    await this.rawStdin?.close().catch(() => {});
    await this.#stderr.catch(() => "");
    if (this.#ownsScratch) await Deno.remove(this.scratch, { recursive: true }).catch(() => {});
  }

  /** Keeps the scratch directory after dispose (to restart a host on the same store). */
  keepScratch(): void {
    this.#ownsScratch = false;
  }
}

/** Starts `bin/launchbox` in plugin mode with a private scratch and logging directory. */
export async function spawnHost(options: HostOptions = {}): Promise<HostProcess> {
  const scratch = options.scratch ?? await Deno.makeTempDir({ prefix: "launchbox-test-" });
  const name = options.pluginName ?? "inmemory";
  const configFile = `${scratch}/launcher.${name}.conf`;
  await Deno.writeTextFile(configFile, (options.config ?? FAST_INMEMORY).join("\n") + "\n");
  const args = [
    "--heartbeat-interval-seconds=0",
    `--plugin-name=${name}`,
    `--scratch-path=${scratch}`,
    `--logging-dir=${scratch}/log`,
    `--config-file=${configFile}`,
    ...(options.pluginsDir ? [`--plugins-dir=${options.pluginsDir}`] : []),
    ...(options.args ?? []),
  ];
  const [command, ...wrapArgs] = [...(options.wrap ?? []), LAUNCHBOX];
  const child = new Deno.Command(command!, {
    args: [...wrapArgs, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: options.env ?? {},
  }).spawn();
  return new HostProcess(child, scratch, {
    ...(options.rawStdin ? { rawStdin: true } : {}),
    ownsScratch: options.scratch === undefined,
  });
}

/**
 * Runs a test body against a fresh host and, when the body fails, adds the host's stderr
 * to the error so the failure explains itself. The host is killed afterwards.
 */
export async function withHost(
  options: HostOptions,
  body: (host: HostProcess) => Promise<void>,
): Promise<void> {
  await using host = await spawnHost(options);
  try {
    await body(host);
  } catch (error) {
    try {
      host.kill("SIGKILL");
    } catch {
      // exited already
    }
    const stderr = await host.stderr().catch(() => "");
    if (error instanceof Error) error.message += `\n--- host stderr ---\n${stderr.slice(-4000)}`;
    throw error;
  }
}

/** Runs `bin/launchbox` with these arguments to completion (no stdin) and returns its output. */
export async function runLaunchbox(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  // Its own TMPDIR, removed afterwards: `client demo` keeps its scratch directory for the
  // reader to look at, which a test run would otherwise leave behind in /tmp.
  const tmp = await Deno.makeTempDir({ prefix: "launchbox-run-" });
  await Deno.chmod(tmp, 0o755);
  try {
    const output = await new Deno.Command(LAUNCHBOX, {
      args,
      stdin: "null",
      env: { TMPDIR: tmp },
    }).output();
    return decodedOutput(output);
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

/** A finished command's exit code and its output as text. */
export function decodedOutput(
  output: Deno.CommandOutput,
): { code: number; stdout: string; stderr: string } {
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}
