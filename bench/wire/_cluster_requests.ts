import type { LauncherClient } from "../../src/launcher/launcher_client.ts";
import { request } from "./host.ts";

/** Requests in flight per node, as the submit driver and the Launcher-side driver. */
export const WINDOW = 64;

/** `total` SubmitJobs with `window` in flight; the new jobs' IDs and the seconds it took. */
export async function submitMany(
  client: LauncherClient,
  total: number,
  window = WINDOW,
): Promise<{ ids: string[]; seconds: number }> {
  const ids: string[] = [];
  let sent = 0;
  const started = performance.now();
  const lane = async () => {
    while (sent < total) {
      sent++;
      const reply = await client.request(
        request(client, 2, "alice", { job: { command: "true", tags: ["bench"] } }),
      );
      if (reply.messageType !== 2) throw new Error(`Submit failed: ${reply.errorMessage}`);
      ids.push(String((reply.jobs as { id: string }[])[0]!.id));
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  return { ids, seconds: (performance.now() - started) / 1000 };
}

/**
 * `total` GetJobs of `ids` (in turn) with `window` in flight; each must answer the job it
 * asked for. The latencies (ms) and the seconds it took.
 */
export async function getMany(
  client: LauncherClient,
  ids: string[],
  total: number,
  window: number,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let sent = 0;
  const started = performance.now();
  const lane = async () => {
    while (sent < total) {
      const id = ids[sent++ % ids.length]!;
      const at = performance.now();
      const reply = await client.request(
        request(client, 3, "alice", { jobId: id, encodedJobId: "" }),
      );
      latencies.push(performance.now() - at);
      const job = (reply.jobs as { id: string }[] | undefined)?.[0];
      if (reply.messageType !== 2 || String(job?.id) !== id) {
        throw new Error(`GetJob ${id} failed: ${JSON.stringify(reply).slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  return { latencies, seconds: (performance.now() - started) / 1000 };
}
