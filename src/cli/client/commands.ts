import type { Message } from "../../launcher/launcher_client.ts";
import { writeStdout } from "../exit.ts";
import { UsageError } from "../usage_error.ts";
import { clusterTables } from "./cluster_table.ts";
import { jobRequest } from "./job_request.ts";
import { type ClientHost, expectReply } from "./plugin_host.ts";
import { schedulerId, table } from "./tables.ts";

const OPERATIONS = ["suspend", "resume", "stop", "kill", "cancel"];
const TERMINAL = ["Finished", "Failed", "Killed", "Canceled"];

/** Options of one client command after the host options were taken out. */
export interface CommandInput {
  positionals: string[];
  values: Map<string, string[]>;
}

/** Runs one client command against a started host; resolves to the command's exit status. */
export async function runCommand(
  name: string,
  host: ClientHost,
  input: CommandInput,
): Promise<number> {
  switch (name) {
    case "submit":
      return await submit(host, input);
    case "jobs":
      await jobs(host, input);
      return 0;
    case "status":
      await status(host, jobId(input));
      return 0;
    case "output":
      await output(host, jobId(input), first(input, "type") ?? "both");
      return 0;
    case "control":
      await control(host, jobId(input), input.positionals[1]);
      return 0;
    case "cluster":
      print(clusterTables(expectReply(await host.ask(9), 8)));
      return 0;
  }
  throw new UsageError(`Unknown client command "${name}" (see launchbox client --help)`);
}

/** Submits a job; with --wait follows it to its end and exits as `sbatch --wait` does. */
async function submit(host: ClientHost, input: CommandInput): Promise<number> {
  const job = jobRequest(input.values);
  const reply = expectReply(await host.ask(2, { job }), 2);
  const submitted = (reply.jobs as Message[])[0]!;
  print(`job ${submitted.id} ${submitted.status}`);
  if (!input.values.has("wait")) return 0;
  const id = String(submitted.id);
  await status(host, id);
  const ended = expectReply(await host.ask(3, { jobId: id, encodedJobId: "" }), 2);
  const final = (ended.jobs as Message[])[0];
  return waitExitStatus(String(final?.status), final?.exitCode);
}

/**
 * The exit status of `submit --wait`: 0 for a job Finished with exit code 0, the job's own
 * exit code (1–255) where it has one, else 1 for a job that did not finish.
 */
export function waitExitStatus(status: string, exitCode: unknown): number {
  if (exitCode === undefined || exitCode === null) return status === "Finished" ? 0 : 1;
  if (typeof exitCode !== "number" || !Number.isInteger(exitCode)) return 1;
  if (exitCode >= 1 && exitCode <= 255) return exitCode;
  return status === "Finished" && exitCode === 0 ? 0 : 1;
}

async function jobs(host: ClientHost, input: CommandInput): Promise<void> {
  const filter: Record<string, unknown> = { jobId: "*", encodedJobId: "" };
  if (input.values.get("tag")) filter.tags = input.values.get("tag");
  if (input.values.get("status")) filter.statuses = input.values.get("status");
  const reply = expectReply(await host.ask(3, filter), 2);
  const rows = (reply.jobs as Message[]).map((j) => [
    String(j.id),
    String(j.status),
    String(j.exitCode ?? "-"),
    schedulerId(j) ?? "-",
    String(j.user),
    String(j.name ?? ""),
  ]);
  print(table([["ID", "STATUS", "EXIT", "SCHEDULER_ID", "USER", "NAME"], ...rows]));
}

/** Follows a job's status stream until the job ends. */
async function status(host: ClientHost, id: string): Promise<void> {
  const request = host.request(4, { jobId: id, encodedJobId: "" });
  for await (const message of host.client.openStream(request)) {
    if (message.messageType === -1) throw new Error(String(message.errorMessage));
    const note = message.statusMessage ? ` (${message.statusMessage})` : "";
    print(`job ${message.id} ${message.status}${note}`);
    if (TERMINAL.includes(String(message.status))) break;
  }
  host.client.cancelStream(request);
}

async function output(host: ClientHost, id: string, type: string): Promise<void> {
  const outputType = ["stdout", "stderr", "both"].indexOf(type);
  if (outputType === -1) {
    throw new UsageError(`--type must be stdout, stderr or both, got "${type}"`);
  }
  for await (
    const message of host.client.openStream(
      host.request(6, { jobId: id, encodedJobId: "", outputType }),
    )
  ) {
    if (message.messageType === -1) throw new Error(String(message.errorMessage));
    if (message.output) writeStdout(String(message.output));
  }
}

async function control(host: ClientHost, id: string, operation: string | undefined): Promise<void> {
  const index = OPERATIONS.indexOf(operation ?? "");
  if (index === -1) {
    throw new UsageError(`client control needs an operation: ${OPERATIONS.join(", ")}`);
  }
  const reply = expectReply(
    await host.ask(5, { jobId: id, encodedJobId: "", operation: index }),
    4,
  );
  print(`${reply.statusMessage}${reply.operationComplete ? "" : " (in progress)"}`);
}

function jobId(input: CommandInput): string {
  const id = input.positionals[0];
  if (!id) throw new UsageError("This client command needs a job ID");
  return id;
}

function first(input: CommandInput, name: string): string | undefined {
  return input.values.get(name)?.[0];
}

function print(text: string): void {
  writeStdout(text + "\n");
}
