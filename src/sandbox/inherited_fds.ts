/**
 * File descriptors a runner would inherit from the host. Deno opens everything it opens
 * (the job store, log files, sockets, its own cache) close-on-exec, but a descriptor the
 * host itself inherited open (a careless Launcher's file or socket) stays open across
 * every exec: through the runner to each program and job a plugin starts. Deno cannot
 * close a descriptor it did not open, so runners are then started through a closer.
 */

/** The shell that closes them: bash, since dash cannot name descriptors above 9. */
export const FD_CLOSER = "/bin/bash";
const CLOSE_ALL_BUT_STDIO =
  'for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "$@"';

let inherited: number[] | undefined;

/**
 * Descriptors above 2 this process would pass to a child. Deno may not read its own
 * /proc/self/fd, so a shell started like a runner lists what it got (`; :` keeps it from
 * exec'ing ls, whose own descriptor on the directory would show). Read once: the set only
 * shrinks, since Deno opens nothing without close-on-exec.
 */
export function inheritableFds(): number[] {
  if (inherited) return inherited;
  const { stdout } = new Deno.Command("/bin/sh", {
    args: ["-c", "ls /proc/$$/fd; :"],
    env: { PATH: "/usr/bin:/bin" },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  const names = new TextDecoder().decode(stdout).split(/\s+/);
  return inherited = names.map(Number).filter((fd) => Number.isInteger(fd) && fd > 2);
}

/**
 * The command prefix that starts a runner with only fds 0-2 of the host's: none when the
 * host holds no inheritable descriptor, else `bash -c '<close all but 0-2>; exec "$@"'`.
 * Throws when bash is missing, rather than let runners inherit them.
 */
export function fdCloserPrefix(): string[] {
  const fds = inheritableFds();
  if (fds.length === 0) return [];
  if (!isFile(FD_CLOSER)) {
    throw new RangeError(
      `Cannot start a runner: the host inherited open file descriptors ${fds.join(", ")}, ` +
        `which every runner and job would inherit, and ${FD_CLOSER}, which closes them, is missing`,
    );
  }
  return [FD_CLOSER, "-c", CLOSE_ALL_BUT_STDIO, "launchbox-fd-closer"];
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
