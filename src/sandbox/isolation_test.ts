import assert from "node:assert/strict";
import {
  airflowInstanceKey,
  instanceDirFor,
  instanceKeyFor,
  keyNames,
  tenantOf,
} from "./isolation.ts";
import { UserDirectory } from "./users.ts";

const KEYS: [Parameters<typeof instanceKeyFor>[0], string, string, string][] = [
  ["none", "alice", "staff", "shared"],
  ["namespace", "alice", "staff", "staff"],
  ["session", "alice", "staff", "staff/alice"],
  ["session", "*", "staff", "shared"],
  ["namespace", "*", "staff", "shared"],
  ["namespace", "alice", "shared", "%73hared"],
  ["namespace", "alice", "_shared_", "_shared_"],
  ["session", "alice", "shared", "%73hared/alice"],
  ["session", "../../etc", "a/b", "a%2Fb/..%2F..%2Fetc"],
  ["session", "rt user", "ops team", "ops%20team/rt%20user"],
  ["session", "rt_user", "ops_team", "ops_team/rt_user"],
  ["session", "rt/user", "ops team", "ops%20team/rt%2Fuser"],
  ["session", "..", ".", "%2E/%2E%2E"],
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
    "etl/manual__2024-01-01T00%3A00%3A00+00%3A00",
  );
});

Deno.test("instanceDirFor puts shared and per-tenant instances apart", () => {
  assert.equal(instanceDirFor("/s", "shared"), "/s/shared");
  assert.equal(instanceDirFor("/s", "staff/alice"), "/s/ns/staff/alice");
});

Deno.test("keyNames gives back the tenant and user of a key", () => {
  assert.deepEqual(keyNames(instanceKeyFor("session", { user: "rt/user", tenant: "" })), [
    "",
    "rt/user",
  ]);
  assert.deepEqual(keyNames("shared"), []);
});

Deno.test("instanceKeyFor refuses a user name that is not well-formed Unicode", () => {
  assert.throws(
    () => instanceKeyFor("session", { user: "a\uD800", tenant: "t" }),
    /Cannot make an instance key: user "a\\ud800" is not well-formed Unicode/,
  );
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
