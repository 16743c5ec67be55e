import type { LauncherClient, Message } from "../../src/launcher/launcher_client.ts";

/** Builders for the requests the Launcher sends, with the fields it always includes. */
export function userRequest(
  client: LauncherClient,
  messageType: number,
  username: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> & { requestId: number } {
  return client.userRequest(messageType, username, extra);
}

export function jobRequest(
  client: LauncherClient,
  messageType: number,
  username: string,
  jobId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> & { requestId: number } {
  return userRequest(client, messageType, username, { jobId, encodedJobId: "", ...extra });
}

/** Submits a job for `user` and returns the job the host answered with. */
export async function submit(
  client: LauncherClient,
  user: string,
  job: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const reply = await client.request(
    userRequest(client, 2, user, { job: { command: "echo hi", name: "test job", ...job } }),
  );
  if (reply.messageType !== 2) throw new Error(`Submit failed: ${JSON.stringify(reply)}`);
  return (reply.jobs as Record<string, unknown>[])[0]!;
}

const TERMINAL = new Set(["Finished", "Failed", "Killed", "Canceled"]);

/**
 * Polls GetJob until the job has `status`; fails after `timeoutMs`, or at once when the job
 * has ended with another status (it can never reach `status` then).
 */
export async function waitForStatus(
  client: LauncherClient,
  user: string,
  jobId: string,
  status: string,
  timeoutMs = 10_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reply: Message = await client.request(jobRequest(client, 3, user, jobId));
    const job = (reply.jobs as Record<string, unknown>[] | undefined)?.[0];
    if (job?.status === status) return job;
    if (TERMINAL.has(String(job?.status))) {
      throw new Error(`Job ${jobId} ended ${job!.status} before it was seen ${status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Job ${jobId} did not reach ${status} within ${timeoutMs} ms`);
}

/** Collects a stream's messages until it ends. */
export async function collect(stream: AsyncIterable<Message>): Promise<Message[]> {
  const messages: Message[] = [];
  for await (const message of stream) messages.push(message);
  return messages;
}
