/**
 * Writers waiting for the change feed to deliver their own change: by job, the change
 * number (or `"removed"`) each waits for. A wait ends when the feed reaches that number or
 * beyond, when it gives up after its limit, or when the feed stops.
 */
export class DeliveryWaits {
  readonly #waits = new Map<number, { upTo: number | "removed"; done: () => void }[]>();

  /** Resolves when `reached(jobSeq, upTo)` or `end()` is called for it, or after `limitMs`. */
  wait(jobSeq: number, upTo: number | "removed", limitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, limitMs);
      const list = this.#waits.get(jobSeq) ?? [];
      const entry = { upTo, done };
      list.push(entry);
      this.#waits.set(jobSeq, list);
      const waits = this.#waits;
      function done() {
        clearTimeout(timer);
        const rest = (waits.get(jobSeq) ?? []).filter((other) => other !== entry);
        if (rest.length === 0) waits.delete(jobSeq);
        else waits.set(jobSeq, rest);
        resolve();
      }
    });
  }

  /** The feed delivered `jobSeq` up to change `changeSeq`, or its removal. */
  reached(jobSeq: number, changeSeq: number | "removed"): void {
    for (const entry of [...this.#waits.get(jobSeq) ?? []]) {
      if (changeSeq === "removed" || (entry.upTo !== "removed" && entry.upTo <= changeSeq)) {
        entry.done();
      }
    }
  }

  /** Ends every wait (the feed stopped). */
  end(): void {
    for (const list of [...this.#waits.values()]) for (const entry of [...list]) entry.done();
  }
}
