import type { JsonLogger } from "../log/mod.ts";
import type { Job } from "../sdk/mod.ts";

/** What {@linkcode Recovery} needs: the live jobs by owner, and how to recover one owner. */
export interface RecoveryOptions {
  /** Every instance's jobs not in a terminal status (this node's), read once at start-up. */
  liveJobsByInstance: () => Promise<Map<string, Job[]>>;
  /**
   * Starts the instance and hands it its jobs (`recover`): `false` when it could not take
   * them back and they were failed instead; rejects when `recover` fails.
   */
  recover: (instanceKey: string, jobs: Job[]) => Promise<boolean>;
  log: JsonLogger;
}

/**
 * Hands each plugin instance its live jobs after a restart, in the background: Bootstrap is
 * answered at once ({@linkcode expect}), the store is read once the answer is out
 * ({@linkcode start}: reading 100 000 live jobs takes a second or two), and a request for an
 * instance still recovering waits for it ({@linkcode ready}). Instances recover one after another, so a store with jobs of many
 * users does not start all their runners at the same moment. An instance that fails to
 * recover is logged and served anyway (its jobs stay in the store, as before a restart).
 */
export class Recovery {
  readonly #o: RecoveryOptions;
  readonly #pending = new Map<string, Promise<void>>();
  readonly #scanned: Promise<void>;
  #scan: () => void = () => {};
  #expected = false;
  #all: Promise<void> | undefined;

  constructor(options: RecoveryOptions) {
    this.#o = options;
    this.#scanned = new Promise((resolve) => this.#scan = resolve);
  }

  /** From now on, requests wait for the recovery that {@linkcode start} will run. */
  expect(): void {
    this.#expected = true;
  }

  /** Reads the store and recovers every instance with live jobs (once); settles when done. */
  start(): Promise<void> {
    this.#expected = true;
    return this.#all ??= this.#run();
  }

  /** Settles once `instanceKey` has its jobs back; `undefined` when there is nothing to wait for. */
  ready(instanceKey: string): Promise<void> | undefined {
    if (!this.#expected) return undefined;
    if (!this.#all) return this.#scanned.then(() => this.#pending.get(instanceKey));
    return this.#pending.get(instanceKey);
  }

  async #run(): Promise<void> {
    let previous: Promise<void> = Promise.resolve();
    try {
      for (const [key, jobs] of await this.#o.liveJobsByInstance()) {
        const done = previous.then(() => this.#recoverOne(key, jobs));
        this.#pending.set(key, done);
        previous = done;
      }
    } catch (error) {
      this.#o.log.error("Cannot read the jobs to recover", { error });
    } finally {
      this.#scan();
    }
    return await previous;
  }

  async #recoverOne(key: string, jobs: Job[]): Promise<void> {
    try {
      if (await this.#o.recover(key, jobs)) {
        this.#o.log.info("Plugin instance recovered its jobs", {
          instance: key,
          jobs: jobs.length,
        });
      }
    } catch (error) {
      this.#o.log.error("Plugin instance could not recover its jobs", {
        instance: key,
        jobs: jobs.length,
        error,
      });
    } finally {
      this.#pending.delete(key);
    }
  }
}
