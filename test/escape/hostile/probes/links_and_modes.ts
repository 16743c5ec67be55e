/** Links to files outside, and modes and owners outside the instance. */
import type { Probe } from "./_probe.ts";

export const LINK_AND_MODE_PROBES: Probe[] = [
  // links: a hard link to a file outside, a symbolic link anywhere
  {
    name: "hard_link_outside",
    attempt: ({ ctx }) => Deno.link("/etc/shadow", `${ctx.instanceDir}/shadow`),
    refused: /read "\/etc\/shadow"/,
  },
  {
    name: "symlink_outside",
    attempt: ({ ctx }) => Deno.symlink("/etc/shadow", `${ctx.instanceDir}/shadow-link`),
    refused: /create a symbolic link$/,
  },
  {
    name: "node_fs_symlink",
    attempt: async ({ ctx }) =>
      (await import("node:fs")).symlinkSync("/etc", `${ctx.instanceDir}/etc-link`),
    refused: /create a symbolic link$/,
  },
  // modes and owners outside the instance
  {
    name: "chmod_outside",
    attempt: () => Deno.chmod("/etc/passwd", 0o666),
    refused: /write "\/etc\/passwd"/,
  },
  {
    name: "chown_outside",
    attempt: () => Deno.chown("/etc/passwd", 0, 0),
    refused: /write "\/etc\/passwd"/,
  },
  {
    // A setuid program of the runner's uid (root at run_as: host), offered to every user
    // by opening the instance directory: a closed parent keeps it out of their reach.
    name: "setuid_offered",
    attempt: async ({ ctx }) => {
      const path = `${ctx.instanceDir}/setuid-shell`;
      await Deno.writeTextFile(path, "#!/bin/sh\nexec /bin/sh\n");
      await Deno.chmod(path, 0o6755);
      await Deno.chmod(ctx.instanceDir, 0o777);
      return path;
    },
    answers: /setuid-shell"$/,
    unreachable: true,
    skip: {
      "session-user":
        "the runner holds the attacking user's own uid: what it offers is that user's, as their own programs could",
    },
  },
];
