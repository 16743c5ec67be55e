import { canonicalPath } from "./canonical_path.ts";
import { swappableBy } from "./trusted_path.ts";

/**
 * Programs whose purpose is to run another program named in their arguments, input or
 * environment: `env`, shells, interpreters, launchers that change priority, limits,
 * session, root or user (`nice`, `timeout`, `setsid`, `chroot`, `sudo`, `setpriv`, …),
 * tracers and debuggers, remote shells and the dynamic loader. A run grant of one of
 * them is a grant of every program on the host, `deno` included, so it is refused unless
 * the manifest lists it under `allow_trampolines`. Recognised by the basename of the
 * program as written and of its canonical path (`/bin/sh` is `dash` on Debian); version
 * suffixes count (`python3.12`, `perl5.36`). The list cannot name every program that can
 * start another (GTFOBins lists hundreds), which is why `check` reports every run grant.
 */
const TRAMPOLINE =
  /^(env|sh|ash|bash|dash|zsh|ksh|mksh|pdksh|csh|tcsh|fish|rbash|busybox|toybox|python|pypy|perl|ruby|irb|node|nodejs|bun|php|lua|luajit|tclsh|wish|expect|awk|gawk|mawk|nawk|xargs|find|parallel|nice|nohup|timeout|setsid|stdbuf|chroot|sudo|su|doas|pkexec|runuser|setpriv|prlimit|taskset|ionice|chrt|unshare|nsenter|capsh|cgexec|firejail|bwrap|systemd-run|flock|watch|script|time|strace|ltrace|gdb|lldb|valgrind|ssh|rsh|make|ld-linux.*|ld\.so|ld-musl.*)([0-9][0-9.]*)?(\.so(\.[0-9]+)*)?$/;
/** Deno itself or a Launchbox binary: either runs with the host's whole permission ceiling. */
const HOST_PROGRAM = /^(deno|launchbox)([-_.].*)?$/;
/** Scripts may name an interpreter which names another (`#!/usr/bin/env deno`); bounded. */
const MAX_INTERPRETERS = 4;

/** What a run grant resolves to and whether it is refused. */
export interface ProgramCheck {
  /** The canonical path of the program. */
  canonical: string;
  /** Why it would escape the sandbox; `undefined` when it is allowed. */
  problem?: string;
  /** The trampoline it is or starts through (allowed only when opted in). */
  trampoline?: string;
}

/** Basename of a path. */
function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Whether the program's name is Deno's or Launchbox's (`deno`, `launchbox`, `deno-2.9`, …). */
export function isHostProgramName(path: string): boolean {
  return HOST_PROGRAM.test(basename(path));
}

/** Whether the program at `path` (as written or canonical) runs other programs by name. */
export function isTrampoline(path: string): boolean {
  return TRAMPOLINE.test(basename(path));
}

/**
 * Checks one absolute program path after resolving it: refused when it is under `/proc`
 * (`/proc/self/exe` is the runner, i.e. Deno), when it is Deno or Launchbox (by canonical
 * path, compared with the host's own binary, or by name), or when it or the interpreter
 * of its `#!` line is a trampoline, or when another user could swap it (or a folder above
 * it) after this check (see `swappableBy`). Trampolines are reported, not refused, when
 * the manifest opted in (`optedIn`).
 */
export function checkProgram(path: string, optedIn: boolean): ProgramCheck {
  const canonical = canonicalPath(path);
  const swap = swappableBy(path) ?? swappableBy(canonical);
  if (swap) return { canonical, problem: `can be replaced by another user: ${swap}` };
  let current = path;
  let real = canonical;
  for (let depth = 0; depth <= MAX_INTERPRETERS; depth++) {
    const problem = hostProblem(current, real);
    if (problem) return { canonical, problem };
    if (isTrampoline(current) || isTrampoline(real)) {
      const name = real === current ? real : `${current} (${real})`;
      return optedIn ? { canonical, trampoline: name } : {
        canonical,
        trampoline: name,
        problem: `${
          depth > 0 ? `starts through ${name}, which` : "is a program that"
        } runs other programs by name (Deno included); list it under allow_trampolines to accept that`,
      };
    }
    const interpreter = interpreterOf(real);
    if (!interpreter) return { canonical };
    if (!interpreter.startsWith("/")) {
      return { canonical, problem: `starts through the relative #! interpreter "${interpreter}"` };
    }
    current = interpreter;
    real = canonicalPath(interpreter);
  }
  return { canonical, problem: `has more than ${MAX_INTERPRETERS} nested #! interpreters` };
}

function hostProblem(written: string, real: string): string | undefined {
  if (real === "/proc" || real.startsWith("/proc/") || written.startsWith("/proc/")) {
    return "is under /proc, which can name the runner's own binary (Deno)";
  }
  if (
    real === hostBinary() || sameFile(real, hostBinary()) || isHostProgramName(real) ||
    isHostProgramName(written)
  ) {
    return `is Launchbox or Deno itself (${real}), which would run with the whole permission ceiling`;
  }
  return undefined;
}

/** Whether two paths name one file (a hard link to Deno has another name, not another inode). */
function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [Deno.statSync(a), Deno.statSync(b)];
    return x.dev === y.dev && x.ino !== null && x.ino === y.ino;
  } catch {
    return false;
  }
}

let host: string | undefined;
function hostBinary(): string {
  return host ??= canonicalPath(Deno.execPath());
}

/** The interpreter named by a `#!` line of the file at `path`, if it is a readable script. */
function interpreterOf(path: string): string | undefined {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch {
    return undefined;
  }
  try {
    const head = new Uint8Array(256);
    const read = file.readSync(head) ?? 0;
    const text = new TextDecoder().decode(head.subarray(0, read));
    if (!text.startsWith("#!")) return undefined;
    const word = text.slice(2).split("\n")[0]!.trim().split(/\s+/)[0];
    return word ? word : undefined;
  } finally {
    file.close();
  }
}
