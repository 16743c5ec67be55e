import assert from "node:assert/strict";
import { checkProgram, isTrampoline } from "./run_programs.ts";

const TRAMPOLINES = [
  "/usr/bin/env",
  "/bin/sh",
  "/bin/bash",
  "/usr/bin/dash",
  "/usr/bin/python3.12",
  "/usr/bin/perl5.36",
  "/usr/bin/node",
  "/usr/bin/xargs",
  "/usr/bin/nice",
  "/usr/bin/timeout",
  "/usr/bin/setsid",
  "/usr/sbin/chroot",
  "/usr/bin/sudo",
  "/usr/bin/strace",
  "/usr/bin/busybox",
  "/lib64/ld-linux-x86-64.so.2",
  "/usr/bin/awk",
];
for (const path of TRAMPOLINES) {
  Deno.test(`isTrampoline recognises ${path}`, () => assert.ok(isTrampoline(path)));
}
for (const path of ["/usr/bin/sbatch", "/usr/bin/squeue", "/usr/bin/scontrol", "/usr/bin/ls"]) {
  Deno.test(`isTrampoline lets ${path} through`, () => assert.ok(!isTrampoline(path)));
}

Deno.test("checkProgram refuses /proc/self/exe, which is the runner's own Deno", () => {
  assert.match(checkProgram("/proc/self/exe", false).problem ?? "", /is under \/proc/);
});

Deno.test("checkProgram refuses the host's binary written with a trailing /.", async () => {
  const checked = checkProgram(`${Deno.execPath()}/.`, false);
  assert.equal(checked.canonical, await Deno.realPath(Deno.execPath()));
  assert.match(checked.problem ?? "", /is Launchbox or Deno itself/);
});

Deno.test("checkProgram refuses a trampoline unless opted in, and reports it either way", () => {
  const refused = checkProgram("/usr/bin/env", false);
  assert.match(
    refused.problem ?? "",
    /runs other programs by name \(Deno included\); list it under allow_trampolines/,
  );
  const allowed = checkProgram("/usr/bin/env", true);
  assert.equal(allowed.problem, undefined);
  assert.match(allowed.trampoline ?? "", /env/);
});

Deno.test("checkProgram follows a script's #! line to its interpreter", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/via_env`, "#!/usr/bin/env deno\n");
    await Deno.writeTextFile(`${dir}/via_deno`, `#!${Deno.execPath()} run -A\n`);
    await Deno.writeTextFile(`${dir}/relative`, "#!deno\n");
    await Deno.writeTextFile(`${dir}/plain`, "not a script\n");
    assert.match(
      checkProgram(`${dir}/via_env`, false).problem ?? "",
      /starts through \/usr\/bin\/env/,
    );
    assert.match(
      checkProgram(`${dir}/via_deno`, true).problem ?? "",
      /is Launchbox or Deno itself/,
    );
    assert.match(
      checkProgram(`${dir}/relative`, false).problem ?? "",
      /relative #! interpreter "deno"/,
    );
    assert.equal(checkProgram(`${dir}/plain`, false).problem, undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkProgram refuses a hard link to the host's binary under another name", async () => {
  // Beside the binary: a hard link needs the same file system.
  const dir = await Deno.makeTempDir({ dir: Deno.execPath().replace(/\/[^/]*$/, "") });
  try {
    await Deno.link(Deno.execPath(), `${dir}/helper`);
    assert.match(checkProgram(`${dir}/helper`, false).problem ?? "", /is Launchbox or Deno itself/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkProgram refuses a program in a folder another user could swap it in", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.chmod(dir, 0o777);
    await Deno.writeTextFile(`${dir}/tool`, "", { mode: 0o755 });
    assert.match(
      checkProgram(`${dir}/tool`, false).problem ?? "",
      /^can be replaced by another user: ".*" is writable by group or others \(mode 777\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
