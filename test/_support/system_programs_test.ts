import assert from "node:assert/strict";
import { findSystemProgram, systemProgram } from "./system_programs.ts";

Deno.test("findSystemProgram finds a program under /usr/sbin with a PATH that lacks it", () => {
  const saved = Deno.env.get("PATH");
  Deno.env.set("PATH", "/usr/local/bin:/usr/bin:/bin");
  try {
    // ldconfig is in every glibc system's /sbin or /usr/sbin.
    const found = findSystemProgram("ldconfig");
    assert.match(String(found), /^\/(usr\/)?(local\/)?sbin\/ldconfig$/);
    assert.match(String(findSystemProgram("sh")), /^\/(usr\/)?bin\/sh$/);
  } finally {
    if (saved === undefined) Deno.env.delete("PATH");
    else Deno.env.set("PATH", saved);
  }
});

Deno.test("systemProgram names the program and the directories when it is missing", () => {
  assert.throws(
    () => systemProgram("launchbox-no-such-program"),
    /^Error: Cannot find the program "launchbox-no-such-program" in PATH or \/usr\/local\/sbin:\/usr\/sbin:\/sbin$/,
  );
});
