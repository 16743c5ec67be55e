/**
 * The summed resident memory of processes (runners), in bytes, from `ps` (Linux and macOS
 * alike); 0 when `ps` fails. Deno lets only `--allow-all` read /proc, which the host lacks.
 */
export async function residentBytes(pids: readonly number[]): Promise<number> {
  try {
    const { stdout } = await new Deno.Command("ps", {
      args: ["-o", "rss=", "-p", pids.join(",")],
      stdout: "piped",
      stderr: "null",
    }).output();
    const kib = new TextDecoder().decode(stdout).split("\n").map(Number).filter(Number.isFinite);
    return kib.reduce((total, value) => total + value, 0) * 1024;
  } catch {
    return 0;
  }
}
