import assert from "node:assert/strict";
import {
  airflowInstanceKey,
  instanceDirFor,
  instanceKeyFor,
  safeSegment,
  tenantOf,
} from "./isolation.ts";
import { UserDirectory } from "./users.ts";

const KEYS: [Parameters<typeof instanceKeyFor>[0], string, string, string][] = [
  ["none", "alice", "staff", "shared"],
  ["namespace", "alice", "staff", "staff"],
  ["session", "alice", "staff", "staff/alice"],
  ["session", "*", "staff", "shared"],
  ["namespace", "*", "staff", "shared"],
  ["namespace", "alice", "shared", "_shared_"],
  ["session", "alice", "shared", "shared/alice"],
  ["session", "../../etc", "a/b", "a_b/.._.._etc"],
];

for (const [level, user, tenant, key] of KEYS) {
  Deno.test(`instanceKeyFor(${level}, ${user}@${tenant}) is "${key}"`, () => {
    assert.equal(instanceKeyFor(level, { user, tenant }), key);
  });
}

Deno.test("airflowInstanceKey keys by DAG at namespace level and by DAG run at session level", () => {
  assert.equal(airflowInstanceKey("none", { dagId: "etl", runId: "r1" }), "shared");
  assert.equal(airflowInstanceKey("namespace", { dagId: "etl", runId: "r1" }), "etl");
  assert.equal(
    airflowInstanceKey("session", { dagId: "etl", runId: "manual__2024-01-01T00:00:00+00:00" }),
    "etl/manual__2024-01-01T00_00_00+00_00",
  );
});

Deno.test("instanceDirFor puts shared and per-tenant instances apart", () => {
  assert.equal(instanceDirFor("/s", "shared"), "/s/shared");
  assert.equal(instanceDirFor("/s", "staff/alice"), "/s/ns/staff/alice");
});

Deno.test("safeSegment never yields a path that climbs out", () => {
  assert.equal(safeSegment(".."), "_.._");
  assert.equal(safeSegment(""), "__");
  assert.equal(safeSegment("a/b\n"), "a_b_");
});

Deno.test("tenantOf prefers the mapping, then the primary group, then the user", () => {
  const group = (user: string) => user === "bob" ? "research" : undefined;
  assert.equal(tenantOf("alice", { alice: "teamA" }, group), "teamA");
  assert.equal(tenantOf("bob", {}, group), "research");
  assert.equal(tenantOf("carol", {}, group), "carol");
});

Deno.test("UserDirectory reads uid, gid, home, primary group and supplementary groups", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/passwd`, "alice:x:1001:100:Alice:/home/alice:/bin/sh\n");
  await Deno.writeTextFile(`${dir}/group`, "users:x:100:\nstaff:x:50:alice,bob\n");
  const users = new UserDirectory({ passwd: `${dir}/passwd`, group: `${dir}/group` });
  assert.deepEqual(users.lookup("alice"), {
    name: "alice",
    uid: 1001,
    gid: 100,
    home: "/home/alice",
    group: "users",
    groups: [100, 50],
  });
  assert.equal(users.lookup("nobody-here"), undefined);
  await Deno.remove(dir, { recursive: true });
});
