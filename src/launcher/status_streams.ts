import type { Job } from "../sdk/mod.ts";
import { SequenceList, sequencePrefix } from "./_sequence_list.ts";
import type { JobStatusFanOut } from "./messages.ts";
import { jobStatusResponse, type Response } from "./responses.ts";

interface StatusStream {
  readonly requestId: number;
  readonly user: string;
  readonly jobId: string;
  /** Its `sequences` entry up to the seqId, encoded once (see `SequenceList`). */
  readonly prefix: Uint8Array;
  seqId: number;
  /** Changes heard while the stream's snapshot is read (see `reserve`). */
  held?: Job[];
  /** The state last sent of a one-job stream, so a change is not sent twice. */
  last?: string;
}

/** What a status message says of a job: a change that says the same again is a duplicate. */
function stateOf(job: Job): string {
  return `${job.status}\u0000${job.statusMessage ?? ""}\u0000${job.lastUpdateTime ?? ""}`;
}

/**
 * The open job status streams of one session. A job change becomes one message whose
 * `sequences` list every stream that should see it: streams for that job and all-jobs
 * streams of its owner or of `"*"`. Streams are indexed so a change touches only them, and
 * its `sequences` are written straight to bytes: with 1 000 streams they are the message.
 */
export class StatusStreams {
  readonly #byRequest = new Map<number, StatusStream>();
  readonly #byJob = new Map<string, Set<StatusStream>>();
  readonly #allByUser = new Map<string, Set<StatusStream>>();
  readonly #sequences = new SequenceList();

  get size(): number {
    return this.#byRequest.size;
  }

  has(requestId: number): boolean {
    return this.#byRequest.has(requestId);
  }

  /**
   * Registers a stream whose snapshot is still being read: changes heard meanwhile are held
   * and sent by {@linkcode open} after the snapshot, minus those the snapshot already shows.
   */
  reserve(requestId: number, user: string, jobId: string): void {
    this.#add({ requestId, user, jobId, prefix: sequencePrefix(requestId), seqId: 0, held: [] });
  }

  /** Opens a stream and returns the snapshot messages for `jobs` (the initial statuses). */
  open(requestId: number, user: string, jobId: string, jobs: Job[]): Response[] {
    const reserved = this.#byRequest.get(requestId);
    const stream = reserved ??
      this.#add({ requestId, user, jobId, prefix: sequencePrefix(requestId), seqId: 0 });
    const held = stream.held ?? [];
    delete stream.held;
    const shown = new Map(jobs.map((job) => [job.id, stateOf(job)]));
    const messages = jobs.map((job) => this.#message(stream, job));
    const late = held.filter((job, i) =>
      !held.slice(i).some((later) => later.id === job.id && shown.get(job.id) === stateOf(later))
    );
    for (const job of late) messages.push(this.#message(stream, job));
    return messages;
  }

  #add(stream: StatusStream): StatusStream {
    this.#byRequest.set(stream.requestId, stream);
    const all = stream.jobId === "*";
    const index = all ? this.#allByUser : this.#byJob;
    const key = all ? stream.user : stream.jobId;
    const set = index.get(key) ?? new Set();
    set.add(stream);
    index.set(key, set);
    return stream;
  }

  #message(stream: StatusStream, job: Job): Response {
    if (stream.jobId !== "*") stream.last = stateOf(job);
    return jobStatusResponse([{ requestId: stream.requestId, seqId: ++stream.seqId }], job);
  }

  /** Closes a stream; true when it was open. A cancel must name the stream's job. */
  close(requestId: number, jobId?: string): boolean {
    const stream = this.#byRequest.get(requestId);
    if (!stream || (jobId !== undefined && jobId !== stream.jobId)) return false;
    this.#byRequest.delete(requestId);
    const index = stream.jobId === "*" ? this.#allByUser : this.#byJob;
    const key = stream.jobId === "*" ? stream.user : stream.jobId;
    const set = index.get(key);
    set?.delete(stream);
    if (set?.size === 0) index.delete(key);
    return true;
  }

  closeAll(): void {
    this.#byRequest.clear();
    this.#byJob.clear();
    this.#allByUser.clear();
  }

  /**
   * The one message announcing `job`'s change to every interested stream, if any. Its
   * `sequences` are a view valid until the next call: encode it before.
   */
  update(job: Job): JobStatusFanOut | undefined {
    this.#sequences.clear();
    this.#list(this.#byJob.get(job.id), job, true);
    if (job.user !== undefined && job.user !== "*") {
      this.#list(this.#allByUser.get(job.user), job, false);
    }
    this.#list(this.#allByUser.get("*"), job, false);
    const count = this.#sequences.count;
    return count > 0 ? { job, sequences: this.#sequences.view(), count } : undefined;
  }

  /** Lists the `streams` that should see `job` (`check`: whether they may) in `#sequences`. */
  #list(streams: Set<StatusStream> | undefined, job: Job, check: boolean): void {
    if (!streams) return;
    for (const stream of streams) {
      if (check && stream.user !== "*" && stream.user !== job.user) continue;
      if (stream.held) {
        stream.held.push(job);
        continue;
      }
      if (stream.jobId !== "*" && job.lastUpdateTime !== undefined) {
        const state = stateOf(job);
        if (state === stream.last) continue;
        stream.last = state;
      }
      this.#sequences.add(stream.prefix, ++stream.seqId);
    }
  }
}
