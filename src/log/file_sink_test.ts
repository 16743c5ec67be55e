import assert from "node:assert/strict";
import { fileSink } from "./file_sink.ts";

const modeOf = (path: string) => (Deno.statSync(path).mode ?? 0) & 0o777;

Deno.test("fileSink creates its file 0600 and narrows one it finds wider", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using fresh = fileSink(`${dir}/a.log`);
    fresh.writeLine("one");
    assert.equal(modeOf(`${dir}/a.log`), 0o600);
    await Deno.writeTextFile(`${dir}/b.log`, "old\n", { mode: 0o644 });
    await Deno.chmod(`${dir}/b.log`, 0o644);
    using old = fileSink(`${dir}/b.log`);
    old.writeLine("two");
    assert.equal(modeOf(`${dir}/b.log`), 0o600);
    assert.equal(await Deno.readTextFile(`${dir}/b.log`), "old\ntwo\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fileSink rotates before a line would pass maxBytes, keeping `keep` old files 0600", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/x.log`;
  try {
    using sink = fileSink(path, { maxBytes: 9, keep: 2 });
    for (const line of ["aaaa", "bbbb", "cccc", "dddd"]) sink.writeLine(line);
    assert.equal(await Deno.readTextFile(path), "dddd\n");
    assert.equal(await Deno.readTextFile(`${path}.1`), "cccc\n");
    assert.equal(await Deno.readTextFile(`${path}.2`), "bbbb\n");
    assert.throws(() => Deno.statSync(`${path}.3`), Deno.errors.NotFound);
    for (const file of [path, `${path}.1`, `${path}.2`]) assert.equal(modeOf(file), 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fileSink writes a line longer than maxBytes whole, into a file of its own", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/x.log`;
  try {
    using sink = fileSink(path, { maxBytes: 4 });
    sink.writeLine("long line");
    sink.writeLine("next");
    assert.equal(await Deno.readTextFile(`${path}.1`), "long line\n");
    assert.equal(await Deno.readTextFile(path), "next\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
