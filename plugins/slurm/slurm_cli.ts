/** The Slurm programs this plugin runs; the manifest grants each by absolute path. */
export type SlurmProgram =
  | "sbatch"
  | "squeue"
  | "sacct"
  | "sstat"
  | "scancel"
  | "scontrol"
  | "sinfo";

/** How long one Slurm command may take before it is abandoned. */
export const COMMAND_TIMEOUT_MS = 30_000;

/** A Slurm command that failed: which one, its exit code and what it printed on stderr. */
export class SlurmCommandError extends Error {
  override readonly name = "SlurmCommandError";
  readonly command: string;
  readonly code: number;
  readonly stderr: string;

  constructor(command: string, code: number, stderr: string, options?: ErrorOptions) {
    const said = stderr.trim() || "(no output on stderr)";
    super(`Cannot run "${command}": exit code ${code}: ${said}`, options);
    this.command = command;
    this.code = code;
    this.stderr = stderr;
  }
}

/** Options of one {@linkcode SlurmCli.run}. */
export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Text written to the command's stdin (sbatch reads its script there). */
  readonly stdin?: string;
  readonly timeoutMs?: number;
}

/** Runs Slurm's command-line tools from one directory, each bounded by a timeout. */
export class SlurmCli {
  readonly #binDir: string;

  /** `binDir` holds the Slurm programs (default `/usr/bin`). */
  constructor(binDir = "/usr/bin") {
    this.#binDir = binDir.replace(/\/+$/, "");
  }

  /**
   * Runs `program args…` and resolves with its stdout. Rejects with a
   * {@linkcode SlurmCommandError} when it exits non-zero, cannot start, or outlives its
   * timeout or the signal.
   */
  async run(program: SlurmProgram, args: readonly string[], options: RunOptions = {}) {
    const command = [program, ...args].join(" ");
    const timeout = AbortSignal.timeout(options.timeoutMs ?? COMMAND_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(`${this.#binDir}/${program}`, {
        args: [...args],
        stdin: options.stdin === undefined ? "null" : "piped",
        stdout: "piped",
        stderr: "piped",
        signal,
      }).spawn();
    } catch (error) {
      throw new SlurmCommandError(command, -1, String(error), { cause: error });
    }
    if (options.stdin !== undefined) await writeAll(child, options.stdin);
    const output = await child.output();
    const text = new TextDecoder();
    if (signal.aborted) {
      const why = timeout.aborted
        ? `timed out after ${options.timeoutMs ?? COMMAND_TIMEOUT_MS} ms`
        : "aborted";
      throw new SlurmCommandError(command, output.code, why);
    }
    if (!output.success) {
      throw new SlurmCommandError(command, output.code, text.decode(output.stderr));
    }
    return text.decode(output.stdout);
  }
}

async function writeAll(child: Deno.ChildProcess, text: string): Promise<void> {
  const writer = child.stdin.getWriter();
  try {
    await writer.write(new TextEncoder().encode(text));
  } finally {
    await writer.close().catch(() => {});
  }
}
