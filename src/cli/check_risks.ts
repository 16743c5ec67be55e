import type { Manifest } from "../sandbox/manifest.ts";

/** Something a manifest allows that an administrator should know before installing it. */
export interface Risk {
  /** What it is about: `isolation`, `run_as`, `run`, `allow_trampolines`. */
  field: string;
  message: string;
}

/**
 * What is risky about a plugin even though its manifest is valid: `none` isolation, the
 * host's uid, every program it may run (those run outside the Deno sandbox), and every
 * trampoline it opted into. `launchbox check` prints
 * them per plugin and the host logs them as warnings when it starts the plugin.
 */
export function pluginRisks(manifest: Manifest): Risk[] {
  const risks: Risk[] = [];
  const uid = manifest.runAs === "host"
    ? "the host's uid (root when the host runs as root)"
    : "the job user's uid";
  if (manifest.isolation === "none") {
    risks.push({
      field: "isolation",
      message:
        "isolation none: one instance serves every user, so all users' jobs share its process, directory and memory",
    });
  }
  if (manifest.runAs === "host") {
    risks.push({
      field: "run_as",
      message:
        "run_as host: the runner has the host's uid (root when the host runs as root); only the Deno sandbox holds the plugin",
    });
  }
  const run = manifest.permissions.run;
  if (run.length > 0) {
    const shipped = run.some((entry) => entry.startsWith("${plugin_dir}"))
      ? " (those under ${plugin_dir} are shipped with the plugin)"
      : "";
    risks.push({
      field: "run",
      message: `run ${run.join(", ")}${shipped}: ${
        run.length === 1 ? "this program runs" : "these programs run"
      } outside the Deno sandbox with ${uid}; the plugin's read, write and network limits do not apply to ${
        run.length === 1 ? "it" : "them"
      }`,
    });
  }
  for (const entry of manifest.allowTrampolines) {
    risks.push({
      field: "allow_trampolines",
      message: `allow_trampolines ${entry}: starts any program it is told to, Deno included, ` +
        `with ${uid}; the plugin can do through it anything that uid can`,
    });
  }
  return risks;
}
