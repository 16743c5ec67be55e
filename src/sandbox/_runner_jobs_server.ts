import type { JobsHandle } from "../sdk/mod.ts";
import { toWireError } from "./codec.ts";
import { RUNNER_MAX_JOBS_REQUESTS, RUNNER_MAX_WAITING_JOBS_REQUESTS } from "./constants.ts";
import type { HostMessage, RunnerMessage } from "./rpc.ts";

type JobsRequest = Extract<RunnerMessage, { t: "jobs" }>;
type JobsReply = Extract<HostMessage, { t: "jobsReply" }>;

/**
 * Serves one runner's `ctx.jobs` requests from the host's handle, at most
 * `RUNNER_MAX_JOBS_REQUESTS` at a time, in the order they came; up to
 * `RUNNER_MAX_WAITING_JOBS_REQUESTS` more wait for a place, and a request beyond those is
 * refused.
 */
export class RunnerJobsServer {
  readonly #jobs: JobsHandle;
  readonly #pluginName: string;
  #inFlight = 0;
  /** Requests waiting for a place, first come first served. */
  readonly #waiting: (() => void)[] = [];

  constructor(jobs: JobsHandle, pluginName: string) {
    this.#jobs = jobs;
    this.#pluginName = pluginName;
  }

  /** Resolves with the reply to send back; it never rejects (a failure is the reply). */
  async serve(request: JobsRequest): Promise<JobsReply> {
    const { id } = request;
    if (this.#inFlight >= RUNNER_MAX_JOBS_REQUESTS) {
      if (this.#waiting.length >= RUNNER_MAX_WAITING_JOBS_REQUESTS) {
        const error = new RangeError(
          `Plugin "${this.#pluginName}" has more than ` +
            `${RUNNER_MAX_JOBS_REQUESTS + RUNNER_MAX_WAITING_JOBS_REQUESTS} ctx.jobs requests ` +
            `unanswered; refused "${request.op}"`,
        );
        return { t: "jobsReply", id, error: toWireError(error) };
      }
      // The place of the request that finishes is handed straight to this one.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#inFlight++;
    }
    try {
      const [a, b] = request.args as [never, never];
      const jobs = this.#jobs;
      const value = request.op === "get"
        ? await jobs.get(a)
        : request.op === "list"
        ? await jobs.list(a)
        : await jobs.update(a, b);
      return { t: "jobsReply", id, value: value ?? null };
    } catch (error) {
      return { t: "jobsReply", id, error: toWireError(error) };
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#inFlight--;
    }
  }
}
