/** What can fail: a store query or commit, the lease renewal, or the LISTEN round trip. */
export const STORE_FAILURE_KINDS = ["query", "renew", "listen"] as const;

/** What failed (see {@linkcode STORE_FAILURE_KINDS}). */
export type StoreFailureKind = typeof STORE_FAILURE_KINDS[number];

/**
 * Whether the PostgreSQL job store works, for `/health`: the last failure of each kind,
 * cleared by the next success of that kind (a query or commit by any later commit, which
 * the lease renewal makes every few seconds; the LISTEN round trip by the next one that
 * comes back). Told failures are counted for the failure metric.
 */
export class StoreHealth {
  readonly #failures = new Map<StoreFailureKind, string>();
  readonly #listeners = new Set<(kind: StoreFailureKind) => void>();

  /** Records a failure, `message` naming the store and what failed. */
  failed(kind: StoreFailureKind, message: string): void {
    this.#failures.set(kind, message);
    for (const listener of this.#listeners) listener(kind);
  }

  /** A commit went through (a write or a lease renewal): queries and commits work again. */
  committed(): void {
    this.#failures.delete("query");
    this.#failures.delete("renew");
  }

  /** The store's own notification came back through LISTEN. */
  heard(): void {
    this.#failures.delete("listen");
  }

  /** The failures not cleared since, one sentence each; empty when the store works. */
  get failures(): string[] {
    return [...this.#failures.values()];
  }

  /** Calls `listener` on every failure (the metric); returns the unsubscribe. */
  onFailure(listener: (kind: StoreFailureKind) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/**
 * Whether a failed query says the store is unwell (connection lost, server shutting down,
 * out of resources), rather than refusing this request (bad data, a constraint such as a
 * used idempotency key: SQLSTATE classes 22 and 23).
 */
export function isStoreFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return !code.startsWith("22") && !code.startsWith("23");
}
