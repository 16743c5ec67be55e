import type { Job } from "@launchbox/sdk";
import { quote } from "./shell.ts";

/** Where one job's script, input, output and exit code live. */
export interface JobFiles {
  dir: string;
  script: string;
  stdin: string;
  stdout: string;
  stderr: string;
  exit: string;
}

/** The files of a job: output goes where the job asked, else under the instance directory. */
export function jobFiles(instanceDir: string, job: Job): JobFiles {
  const dir = `${instanceDir}/jobs/${job.id}`;
  return {
    dir,
    script: `${dir}/run.sh`,
    stdin: `${dir}/stdin`,
    stdout: job.stdoutFile || `${dir}/stdout`,
    stderr: job.stderrFile || `${dir}/stderr`,
    exit: `${dir}/exit`,
  };
}

/**
 * The script that runs a job: redirects its streams to files, enters its working
 * directory, sets its environment, runs its command (through a shell) or exe, and records
 * the exit code so a restarted plugin can learn how a job it no longer watches ended.
 */
export function jobScript(job: Job, files: JobFiles): string {
  const lines = [
    "#!/bin/sh",
    `exec <${quote(files.stdin)} >>${quote(files.stdout)} 2>>${quote(files.stderr)}`,
  ];
  if (job.workingDirectory) lines.push(`cd ${quote(job.workingDirectory)} || exit 127`);
  for (const { name, value } of job.environment ?? []) {
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) lines.push(`export ${name}=${quote(value)}`);
  }
  lines.push(`export LAUNCHBOX_JOB_ID=${quote(job.id)}`);
  const args = (job.args ?? []).map(quote).join(" ");
  if (job.command) lines.push(`/bin/sh -c ${quote(job.command)} sh ${args}`);
  else lines.push(`${quote(job.exe ?? "/bin/true")} ${args}`);
  lines.push("code=$?", `printf '%s\\n' "$code" >${quote(files.exit + ".tmp")}`);
  lines.push(`mv ${quote(files.exit + ".tmp")} ${quote(files.exit)}`, 'exit "$code"');
  return lines.join("\n") + "\n";
}
