import { spawnRunner } from "./_runner_spawn.ts";
import type { RunnerCommand } from "./runner_command.ts";

/** Options for {@linkcode RunnerPool}. */
export interface RunnerPoolOptions {
  /** How every runner of the pool starts: the command of a runner with the host's uid. */
  command: RunnerCommand;
  /** The idle runners' working directory; a runner moves to its instance's at init. */
  cwd: string;
  /** Idle runners kept; 0 keeps none. */
  size: number;
  /** Runs each refill start in turn with the host's runner starts (their limiter). */
  limit: <T>(task: () => Promise<T>) => Promise<T>;
  /** Told when a refill could not start a runner; the pool tries again at the next take. */
  onError?: (error: unknown) => void;
}

interface Idle {
  child: Deno.ChildProcess;
  alive: boolean;
}

/**
 * Runner processes started before any instance needs them, all with one command: the
 * process start and the runner's own modules are paid before a new user arrives, and an
 * instance's init (its Worker and its permissions) is all that is left. Deno fixes a
 * process's permissions and uid when it starts, so the pool serves only runners whose
 * command is exactly its own (the host's uid, the same ceiling flags, environment and
 * memory limit); the instance's own permissions go to its Worker at init, as for every
 * runner. Taking one starts a replacement in the background.
 */
export class RunnerPool implements AsyncDisposable {
  readonly #o: RunnerPoolOptions;
  readonly #key: string;
  readonly #idle: Idle[] = [];
  #starting = 0;
  #closed = false;

  constructor(options: RunnerPoolOptions) {
    this.#o = options;
    this.#key = commandKey(options.command);
  }

  /** How many idle runners are alive now. */
  get idle(): number {
    return this.#idle.filter((runner) => runner.alive).length;
  }

  /** Starts runners in the background until `size` are idle or starting. */
  fill(): void {
    while (!this.#closed && this.#idle.length + this.#starting < this.#o.size) {
      this.#starting++;
      this.#o.limit(async () => {
        try {
          this.#spawn();
        } finally {
          this.#starting--;
        }
      }).catch((error) => this.#o.onError?.(error));
    }
  }

  /**
   * An idle runner started with exactly `command`, or undefined (none idle, or another
   * command: a job user's uid, say). Its stdio is the caller's from now on.
   */
  take(command: RunnerCommand): Deno.ChildProcess | undefined {
    if (this.#closed || commandKey(command) !== this.#key) return undefined;
    let taken: Deno.ChildProcess | undefined;
    while (!taken && this.#idle.length > 0) {
      const runner = this.#idle.shift()!;
      if (runner.alive) taken = runner.child;
    }
    this.fill();
    return taken;
  }

  /** Ends the idle runners (stdin closed, then SIGKILL of their process groups). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#closed = true;
    const idle = this.#idle.splice(0);
    await Promise.all(idle.map(async ({ child }) => {
      killGroup(child.pid);
      await child.status;
      await release(child);
    }));
  }

  #spawn(): void {
    if (this.#closed) return;
    const child = spawnRunner(this.#o.command, this.#o.cwd);
    const runner: Idle = { child, alive: true };
    void child.status.then(() => {
      runner.alive = false;
      const at = this.#idle.indexOf(runner);
      if (at >= 0) {
        this.#idle.splice(at, 1);
        release(child);
      }
    });
    this.#idle.push(runner);
  }
}

function commandKey(command: RunnerCommand): string {
  const env = Object.entries(command.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([command.command, command.args, env]);
}

/** Closes the pipes of a runner nobody took. */
async function release(child: Deno.ChildProcess): Promise<void> {
  await Promise.all([
    child.stdin.close().catch(() => {}),
    child.stdout.cancel().catch(() => {}),
    child.stderr.cancel().catch(() => {}),
  ]);
}

function killGroup(pid: number): void {
  try {
    Deno.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}
