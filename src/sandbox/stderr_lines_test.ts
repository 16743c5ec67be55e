import assert from "node:assert/strict";
import { cutText, StderrLines } from "./stderr_lines.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("StderrLines splits lines across chunks and flushes the last one", () => {
  const lines = new StderrLines(100);
  assert.deepEqual(lines.push(bytes("one\ntw")), ["one"]);
  assert.deepEqual(lines.push(bytes("o\n\nthr")), ["two", ""]);
  assert.equal(lines.flush(), "thr");
  assert.equal(lines.flush(), undefined);
});

Deno.test("StderrLines keeps at most maxLineBytes of a line and counts the cut", () => {
  const lines = new StderrLines(8);
  for (let i = 0; i < 1000; i++) assert.deepEqual(lines.push(bytes("abcdefghij")), []);
  assert.deepEqual(lines.push(bytes("\nnext\n")), ["abcdefgh… [cut 9992 bytes]", "next"]);
  assert.equal(lines.cutBytes, 9992);
  lines.push(bytes("0123456789"));
  assert.equal(lines.flush(), "01234567… [cut 2 bytes]");
});

Deno.test("cutText cuts on a character boundary and leaves short text alone", () => {
  assert.deepEqual(cutText("short", 8), { text: "short", cut: 0 });
  assert.deepEqual(cutText("ééééé", 5), { text: "éé… [cut 6 bytes]", cut: 6 });
  assert.deepEqual(cutText("x".repeat(20), 16), {
    text: `${"x".repeat(16)}… [cut 4 bytes]`,
    cut: 4,
  });
});
