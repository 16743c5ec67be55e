import type { Job } from "@launchbox/sdk";

/** Where one job's input and output live. */
export interface JobFiles {
  readonly dir: string;
  readonly stdin: string;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The files of a job under `root` (the instance directory, or a directory in the user's
 * home when compute nodes share homes but not the Launcher host's scratch). Output goes
 * where the job asked, else beside its input.
 */
export function jobFiles(root: string, job: Job): JobFiles {
  const dir = `${root}/jobs/${job.id}`;
  return {
    dir,
    stdin: `${dir}/stdin`,
    stdout: job.stdoutFile || `${dir}/stdout`,
    stderr: job.stderrFile || `${dir}/stderr`,
  };
}

/**
 * The directory job files go under: `output-dir=home` puts them in
 * `$HOME/.launchbox/slurm/<instance>`, anything else (the default) in the instance
 * directory.
 */
export function jobFilesRoot(
  config: Readonly<Record<string, string>>,
  instanceDir: string,
  home: string | undefined,
): string {
  if (config["output-dir"] !== "home") return instanceDir;
  if (!home) throw new RangeError("Cannot use output-dir=home: HOME is not set for this instance");
  return `${home}/.launchbox/slurm`;
}
