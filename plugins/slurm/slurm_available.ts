/**
 * For tests that need a running Slurm: `undefined` when `sinfo` answers within five
 * seconds, else the reason those tests are skipped (`make services` starts one).
 */
export async function slurmMissing(): Promise<string | undefined> {
  const signal = AbortSignal.timeout(5_000);
  try {
    const output = await new Deno.Command("/usr/bin/sinfo", {
      args: ["-h", "-o", "%P"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal,
    }).output();
    if (output.success) return undefined;
    if (signal.aborted) return "sinfo did not answer within 5 s; run scripts/slurm-up";
    const said = new TextDecoder().decode(output.stderr).trim().split("\n")[0];
    return `sinfo does not answer (${said || `exit code ${output.code}`}); run scripts/slurm-up`;
  } catch (error) {
    return `sinfo cannot run (${
      error instanceof Error ? error.message : error
    }); run scripts/slurm-up`;
  }
}
