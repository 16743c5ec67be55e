import assert from "node:assert/strict";
import type { StatementSync } from "node:sqlite";
import { GroupCommit } from "./_group_commit.ts";

/** Statements that record their runs; `commit` fails while `failCommit.on` is set. */
function fakeStatements(failCommit: { on: boolean }) {
  const ran: string[] = [];
  const statement = (name: string, fail = () => false) =>
    ({
      run: () => {
        ran.push(name);
        if (fail()) throw new Error("database or disk is full");
        return { changes: 0, lastInsertRowid: 0 };
      },
    }) as unknown as StatementSync;
  return {
    ran,
    statements: {
      begin: statement("begin"),
      commit: statement("commit", () => failCommit.on),
      rollback: statement("rollback"),
    },
  };
}

Deno.test("GroupCommit keeps why its last commit failed until one succeeds", async () => {
  const failCommit = { on: true };
  const { ran, statements } = fakeStatements(failCommit);
  let rolledBack = 0;
  const group = new GroupCommit(statements, () => rolledBack++);
  group.join();
  const first = group.committed();
  group.flush();
  await assert.rejects(first, /Cannot commit job store writes: database or disk is full/);
  assert.equal(group.failure, "database or disk is full");
  assert.equal(rolledBack, 1);
  failCommit.on = false;
  group.join();
  const second = group.committed();
  group.flush();
  await second;
  assert.equal(group.failure, undefined);
  assert.deepEqual(ran, ["begin", "commit", "rollback", "begin", "commit"]);
});

Deno.test("GroupCommit runs a settled read after the commit, or after the rollback", async () => {
  const failCommit = { on: false };
  const { ran, statements } = fakeStatements(failCommit);
  const group = new GroupCommit(statements, () => ran.push("dropped cache"));
  group.whenSettled(() => ran.push("read, nothing open"));
  group.join();
  group.whenSettled(() => ran.push("read after commit"));
  group.afterCommit(() => ran.push("told subscribers"));
  assert.deepEqual(ran, ["read, nothing open", "begin"]);
  group.flush();
  failCommit.on = true;
  group.join();
  group.whenSettled(() => ran.push("read after rollback"));
  const failed = group.committed();
  group.flush();
  await assert.rejects(failed);
  assert.deepEqual(ran, [
    "read, nothing open",
    "begin",
    "commit",
    "told subscribers",
    "read after commit",
    "begin",
    "commit",
    "rollback",
    "dropped cache",
    "read after rollback",
  ]);
});
