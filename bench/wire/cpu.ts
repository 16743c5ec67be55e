/**
 * CPU seconds (user + system, all threads) used by a process and every live descendant
 * (a host and its runners), from /proc/<pid>/stat (utime, stime, cutime, cstime of stat(5),
 * 100 ticks a second; reaped children count through their parent's cutime and cstime).
 * /proc is read through `cat`: Deno's permission ceiling refuses it to the bench itself.
 */
export async function treeCpuSeconds(pid: number): Promise<number> {
  const output = await new Deno.Command("sh", {
    args: ["-c", "cat /proc/[0-9]*/stat 2>/dev/null"],
    stdout: "piped",
  }).output();
  const byPid = new Map<number, { ppid: number; ticks: number }>();
  for (const line of new TextDecoder().decode(output.stdout).split("\n")) {
    const close = line.lastIndexOf(") ");
    if (close < 0) continue;
    const fields = line.slice(close + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) +
      Number(fields[14]);
    byPid.set(Number(line.slice(0, line.indexOf(" "))), { ppid: Number(fields[1]), ticks });
  }
  const inTree = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [each, { ppid }] of byPid) {
      if (!inTree.has(each) && inTree.has(ppid)) {
        inTree.add(each);
        grew = true;
      }
    }
  }
  let ticks = 0;
  for (const each of inTree) ticks += byPid.get(each)?.ticks ?? 0;
  return ticks / 100;
}
