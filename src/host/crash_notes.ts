import type { JsonLogger } from "../log/mod.ts";

/**
 * The last crash of each instance, kept from the crash until its jobs are reconciled, so
 * that a host killed in between still names the crash when its restart fails the jobs.
 */
export interface CrashNotes {
  /** Remembers why `instanceKey` crashed (`crashed: …`, `exit code 1`), replacing an older note. */
  record(instanceKey: string, reason: string): void;
  /** The reason last recorded for `instanceKey`, if its jobs were not reconciled since. */
  last(instanceKey: string): string | undefined;
  /** Forgets `instanceKey`'s note: its jobs were handed back or failed. */
  clear(instanceKey: string): void;
}

/** A note longer than this is cut when read (the runner already cuts its reports). */
const NOTE_MAX_CHARS = 4096;

/**
 * {@linkcode CrashNotes} as one file per instance in a directory of the host's own
 * (`<scratch>/crashes`, 0700; each file 0600, as a crash message may quote a user's data).
 * No plugin is granted it. A note that cannot be written or read is logged and left out:
 * the crash message then falls back to the reason the restart gives.
 */
export class FileCrashNotes implements CrashNotes {
  readonly #dir: string;
  readonly #log: JsonLogger;
  #made = false;

  constructor(dir: string, log: JsonLogger) {
    this.#dir = dir;
    this.#log = log;
  }

  record(instanceKey: string, reason: string): void {
    const path = this.#path(instanceKey);
    const temporary = `${path}.${Deno.pid}.tmp`;
    try {
      this.#makeDir();
      Deno.writeTextFileSync(temporary, reason, { mode: 0o600 });
      Deno.renameSync(temporary, path);
    } catch (error) {
      this.#log.warn("Cannot keep a note of a plugin crash", { instance: instanceKey, error });
    }
  }

  last(instanceKey: string): string | undefined {
    try {
      const text = Deno.readTextFileSync(this.#path(instanceKey));
      return text.length > NOTE_MAX_CHARS ? `${text.slice(0, NOTE_MAX_CHARS - 1)}…` : text;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        this.#log.warn("Cannot read the note of a plugin crash", { instance: instanceKey, error });
      }
      return undefined;
    }
  }

  clear(instanceKey: string): void {
    try {
      Deno.removeSync(this.#path(instanceKey));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        this.#log.warn("Cannot remove the note of a plugin crash", {
          instance: instanceKey,
          error,
        });
      }
    }
  }

  /** Instance keys hold `/` (`tenant/user`); encoded, each is one file name. */
  #path(instanceKey: string): string {
    return `${this.#dir}/${encodeURIComponent(instanceKey)}.crash`;
  }

  /** The directory, 0700; a symlink or non-directory in its place is refused. */
  #makeDir(): void {
    if (this.#made) return;
    try {
      Deno.mkdirSync(this.#dir, { mode: 0o700 });
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const info = Deno.lstatSync(this.#dir);
    if (!info.isDirectory) throw new Error(`Refusing ${this.#dir}: it is not a directory`);
    if ((info.mode! & 0o077) !== 0) Deno.chmodSync(this.#dir, 0o700);
    this.#made = true;
  }
}
