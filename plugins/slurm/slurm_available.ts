/** The private test cluster's config, as scripts/slurm-up records it in the checkout. */
const PRIVATE_CONF = new URL("../../.tools/slurm/slurm.conf", import.meta.url).pathname;

/**
 * For tests that need a running Slurm: points this process's Slurm commands, and the hosts
 * and plugins it starts (they inherit its environment), at the checkout's private test
 * cluster by setting `SLURM_CONF`, and returns `undefined` when that cluster's `sinfo`
 * answers within five seconds, else the reason those tests are skipped. A `SLURM_CONF`
 * already set names the cluster instead. A system Slurm is never used by default.
 */
export async function slurmMissing(): Promise<string | undefined> {
  const conf = Deno.env.get("SLURM_CONF") ?? await privateConf();
  if (conf === undefined) {
    return "no private Slurm: scripts/slurm-up has not run here (make services starts one)";
  }
  Deno.env.set("SLURM_CONF", conf);
  const signal = AbortSignal.timeout(5_000);
  try {
    const output = await new Deno.Command("/usr/bin/sinfo", {
      args: ["-h", "-o", "%P"],
      env: { SLURM_CONF: conf },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal,
    }).output();
    if (output.success) return undefined;
    if (signal.aborted) return `sinfo (${conf}) did not answer within 5 s; run scripts/slurm-up`;
    const said = new TextDecoder().decode(output.stderr).trim().split("\n")[0];
    return `sinfo (${conf}) does not answer (${
      said || `exit code ${output.code}`
    }); run scripts/slurm-up`;
  } catch (error) {
    return `sinfo cannot run (${
      error instanceof Error ? error.message : error
    }); run scripts/slurm-up`;
  }
}

/**
 * The private cluster's slurm.conf by its real path (under /var/tmp, where job users can
 * read it even when the checkout is in a private directory), or `undefined`.
 */
async function privateConf(): Promise<string | undefined> {
  try {
    return await Deno.realPath(PRIVATE_CONF);
  } catch {
    return undefined;
  }
}
