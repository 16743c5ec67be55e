/**
 * `work`'s outcome, or a `TimeoutError` naming `what` once `ms` pass first; the timer is
 * cleared either way. For shutdown steps that wait on the database: a server that stopped
 * answering (connections open, no reply) must not keep a host from exiting.
 */
export async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DOMException(`${what} did not finish within ${ms} ms`, "TimeoutError")),
      ms,
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
