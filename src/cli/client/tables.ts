/** The metadata key where the bundled `slurm` plugin keeps Slurm's job ID (SLURM_JOB_ID_KEY). */
export const SLURM_JOB_ID_KEY = "slurmJobId";

/**
 * The scheduler's own ID of a job: the Job's `pid` (launcher-protocol.md §4: the process
 * ID, which `local` sets to the job's process group), else a scheduler ID a plugin keeps
 * in `metadata` (the `slurm` plugin's Slurm job ID).
 */
export function schedulerId(job: Record<string, unknown>): string | undefined {
  if (typeof job.pid === "number") return String(job.pid);
  const metadata = job.metadata as Record<string, unknown> | undefined;
  const slurm = metadata?.[SLURM_JOB_ID_KEY];
  return typeof slurm === "string" && slurm !== "" ? slurm : undefined;
}

/** Rows as columns padded to their widest cell, two spaces apart. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd())
    .join("\n");
}
