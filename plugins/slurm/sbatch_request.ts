import { ErrorCode, type Job, LauncherError } from "@launchbox/sdk";
import type { JobFiles } from "./job_files.ts";

/** What `sbatch` is run with: its arguments and the batch script it reads on stdin. */
export interface SbatchRequest {
  readonly args: string[];
  readonly script: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The `sbatch --parsable` call for a Launcher job: name, working directory, stdin and
 * output files, queues as partitions, `cpuCount`/`memory` (MiB)/`time` (minutes) or
 * `cpuTime` (seconds) limits, and the `begin` job config as `--begin`. The script sets
 * the environment and runs `command` through `/bin/sh -c` or `exe` directly, with `args`.
 * Throws a LauncherError (InvalidRequest) for what Slurm cannot honour.
 */
export function sbatchRequest(job: Job, files: JobFiles): SbatchRequest {
  if (job.container) invalid("Slurm jobs cannot run in containers here; submit without one");
  const args = [
    "--parsable",
    `--job-name=${job.name || `launchbox-${job.id}`}`,
    `--comment=launchbox job ${job.id}`,
    `--input=${files.stdin}`,
    `--output=${files.stdout}`,
    `--error=${files.stderr}`,
  ];
  if (job.workingDirectory) args.push(`--chdir=${job.workingDirectory}`);
  const partitions = (job.queues ?? []).filter(Boolean);
  if (partitions.length > 0) args.push(`--partition=${partitions.join(",")}`);
  args.push(...limitArgs(job));
  const begin = job.config?.find((entry) => entry.name === "begin")?.value;
  if (begin) args.push(`--begin=${begin}`);
  return { args, script: batchScript(job) };
}

function limitArgs(job: Job): string[] {
  const args: string[] = [];
  for (const { type, value } of job.resourceLimits ?? []) {
    if (value === undefined || value === "") continue;
    const number = Number(value);
    if (!(number > 0) || !Number.isFinite(number)) {
      invalid(`Resource limit "${type}" must be a positive number, got "${value}"`);
    }
    switch (type) {
      case "cpuCount":
        args.push(`--cpus-per-task=${Math.ceil(number)}`);
        break;
      case "memory":
        args.push(`--mem=${Math.ceil(number)}M`);
        break;
      case "time":
        args.push(`--time=${Math.ceil(number)}`);
        break;
      case "cpuTime":
        args.push(`--time=${Math.ceil(number / 60)}`);
        break;
      default:
        invalid(`Resource limit "${type}" is not supported (cpuCount, memory, time, cpuTime)`);
    }
  }
  return args;
}

/** The batch script: exports the job's environment, then runs its command or exe. */
export function batchScript(job: Job): string {
  const lines = ["#!/bin/sh"];
  for (const { name, value } of job.environment ?? []) {
    if (!ENV_NAME.test(name)) invalid(`Environment variable name "${name}" is not valid`);
    lines.push(`export ${name}=${quote(value)}`);
  }
  lines.push(`export LAUNCHBOX_JOB_ID=${quote(job.id)}`);
  const args = (job.args ?? []).map(quote).join(" ");
  if (job.command) lines.push(`exec /bin/sh -c ${quote(job.command)} sh ${args}`.trimEnd());
  else lines.push(`exec ${quote(job.exe ?? "/bin/true")} ${args}`.trimEnd());
  return lines.join("\n") + "\n";
}

/** Quotes a value for a POSIX shell: the value stays one word whatever it holds. */
export function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function invalid(message: string): never {
  throw new LauncherError(ErrorCode.InvalidRequest, message);
}
