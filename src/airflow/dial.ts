import { parseAddress } from "./address.ts";

/** Connect to both sockets within this long (the supervisor waits 10 s by default). */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Pause between connection attempts while a listener is not ready. */
export const REDIAL_PAUSE_MS = 50;

/**
 * Dials the logs and comm addresses at once, from this process (the supervisor checks the
 * peer belongs to the process it started). Rejects with the failing flag named after
 * {@linkcode CONNECT_TIMEOUT_MS}, or when `stop` aborts.
 */
export async function dialBoth(
  logs: string,
  comm: string,
  stop: AbortSignal,
): Promise<[Deno.TcpConn, Deno.TcpConn]> {
  const logAddress = parseAddress("--logs", logs);
  const commAddress = parseAddress("--comm", comm);
  const deadline = AbortSignal.any([AbortSignal.timeout(CONNECT_TIMEOUT_MS), stop]);
  const dialing = [
    dial("--logs", logs, logAddress, deadline),
    dial("--comm", comm, commAddress, deadline),
  ];
  const settled = await Promise.allSettled(dialing);
  const failed = settled.find((result) => result.status === "rejected");
  if (!failed) {
    return settled.map((result) => (result as PromiseFulfilledResult<Deno.TcpConn>).value) as [
      Deno.TcpConn,
      Deno.TcpConn,
    ];
  }
  for (const result of settled) if (result.status === "fulfilled") result.value.close();
  throw failed.reason;
}

async function dial(
  flag: string,
  text: string,
  address: { hostname: string; port: number },
  deadline: AbortSignal,
): Promise<Deno.TcpConn> {
  let lastError: unknown;
  while (!deadline.aborted) {
    try {
      const conn = await Deno.connect({ ...address, transport: "tcp" });
      conn.setNoDelay(true);
      return conn;
    } catch (error) {
      lastError = error;
      await pause(REDIAL_PAUSE_MS, deadline);
    }
  }
  const why = (lastError as Error | undefined)?.message ?? String(deadline.reason);
  throw new Error(`Cannot connect ${flag}=${text}: ${why}`);
}

/** Sleeps `ms` (a referenced timer, so the process waits for it) unless `signal` aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
