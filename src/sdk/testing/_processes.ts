/**
 * What the conformance suite knows of a job's processes on this host, from `ps`: a job
 * whose `pid` is a process this test started is process-based, and everything in its
 * process group or below it must be gone once the job has ended. (Deno lets only
 * `--allow-all` read `/proc`; `ps` needs `--allow-run=ps`.)
 */

/** One process, as `ps` shows it. */
export interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  /** When it started: with `pid`, it names the process even after the pid is reused. */
  readonly start: string;
  /** `ps` STAT: `Z` for a zombie, which has ended. */
  readonly state: string;
  readonly command: string;
}

const PS_LINE = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\w{3} \w{3} [ \d]\d [\d:]{8} \d{4}) (.*)$/;

/** Every process on this host; throws when `ps` cannot be run. */
export async function listProcesses(): Promise<ProcessEntry[]> {
  const output = await new Deno.Command("ps", {
    args: ["-e", "-o", "pid=,ppid=,pgid=,stat=,lstart=,args="],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
    env: { LC_ALL: "C", TZ: "UTC" },
  }).output();
  const entries: ProcessEntry[] = [];
  for (const line of new TextDecoder().decode(output.stdout).split("\n")) {
    const m = PS_LINE.exec(line);
    if (!m) continue;
    entries.push({
      pid: Number(m[1]),
      ppid: Number(m[2]),
      pgrp: Number(m[3]),
      state: m[4]!,
      start: m[5]!,
      command: m[6]!.trim(),
    });
  }
  return entries;
}

/** Whether `pid` is this test process or one of its descendants. */
export function startedByThisTest(all: readonly ProcessEntry[], pid: number): boolean {
  const byPid = new Map(all.map((entry) => [entry.pid, entry]));
  for (let at = byPid.get(pid), hops = 0; at && hops < 64; at = byPid.get(at.ppid), hops++) {
    if (at.pid === Deno.pid) return true;
  }
  return false;
}

/** The processes of a job: those in the process group `pid` and every descendant of `pid`. */
export function jobProcesses(all: readonly ProcessEntry[], pid: number): ProcessEntry[] {
  const inJob = new Set<number>([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const entry of all) {
      if (!inJob.has(entry.pid) && (entry.pgrp === pid || inJob.has(entry.ppid))) {
        inJob.add(entry.pid);
        grew = true;
      }
    }
  }
  return all.filter((entry) => inJob.has(entry.pid));
}

/** Those of `seen`, and of the process group `pgrp`, that still run (zombies have ended). */
export async function survivors(
  seen: readonly ProcessEntry[],
  pgrp: number,
): Promise<ProcessEntry[]> {
  const alive = (entry: ProcessEntry | undefined) => entry && !/^[ZX]/.test(entry.state);
  const now = await listProcesses();
  const byPid = new Map(now.map((entry) => [entry.pid, entry]));
  const left: ProcessEntry[] = [];
  for (const old of seen) {
    const current = byPid.get(old.pid);
    const same = alive(current) && current!.start === old.start;
    if (same && !left.some((l) => l.pid === old.pid)) left.push(current!);
  }
  for (const entry of now) {
    if (entry.pgrp === pgrp && alive(entry) && !left.some((l) => l.pid === entry.pid)) {
      left.push(entry);
    }
  }
  return left;
}

/** `pid 1234 (sleep 3600)`. */
export function describeProcess(entry: ProcessEntry): string {
  return `pid ${entry.pid} (${entry.command})`;
}
