/** Quotes a value for a POSIX shell: the value stays one word whatever it holds. */
export function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs a short shell command and returns its stdout. Signals and `ps` go through
 * `/bin/sh` because the plugin may run only that program (`Deno.kill` would need
 * unrestricted run permission).
 */
export async function sh(script: string): Promise<{ code: number; stdout: string }> {
  const output = await new Deno.Command("/bin/sh", {
    args: ["-c", script],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  return { code: output.code, stdout: new TextDecoder().decode(output.stdout) };
}

/** Sends a signal to a whole process group (a job and everything it started). */
export async function signalGroup(
  pgid: number,
  signal: "TERM" | "KILL" | "STOP" | "CONT",
): Promise<boolean> {
  return (await sh(`kill -${signal} -${pgid}`)).code === 0;
}
