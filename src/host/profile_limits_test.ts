import assert from "node:assert/strict";
import { ErrorCode, LauncherError } from "../sdk/mod.ts";
import { jobLimitsForProfile, limitsForProfile } from "./profile_limits.ts";
import { UserProfiles } from "./user_profiles.ts";

const FILE = "/etc/rstudio/launcher.local.profiles.conf";
const profiles = UserProfiles.parse(
  "[*]\nmax-cpus=4\ndefault-cpus=8\nmax-mem-mb=2048\ndefault-mem-mb=512\n[alice]\nmax-cpus=16\n",
  FILE,
);
const bob = profiles.resolve("bob", () => []);

Deno.test("limitsForProfile lowers the plugin's maximum, sets the default under it, and adds missing types", () => {
  const plugin = [
    { type: "cpuCount", maxValue: "8", defaultValue: "1" },
    { type: "cpuTime", maxValue: "3600" },
  ];
  assert.deepEqual(limitsForProfile(plugin, bob), [
    { type: "cpuCount", maxValue: "4", defaultValue: "4" },
    { type: "cpuTime", maxValue: "3600" },
    { type: "memory", maxValue: "2048", defaultValue: "512" },
  ]);
  assert.deepEqual(
    limitsForProfile(plugin, profiles.resolve("alice", () => []))?.[0],
    { type: "cpuCount", maxValue: "8", defaultValue: "8" },
    "a profile never raises what the plugin offers",
  );
  assert.deepEqual(
    plugin[0],
    { type: "cpuCount", maxValue: "8", defaultValue: "1" },
    "not mutated",
  );
  assert.equal(
    limitsForProfile(undefined, UserProfiles.none().resolve("bob", () => [])),
    undefined,
  );
});

Deno.test("jobLimitsForProfile refuses more than the maximum and fills in defaults", () => {
  assert.deepEqual(jobLimitsForProfile([{ type: "cpuCount", value: "2" }], bob, "bob"), [
    { type: "cpuCount", value: "2" },
    { type: "memory", value: "512" },
  ]);
  assert.throws(
    () => jobLimitsForProfile([{ type: "memory", value: "4096" }], bob, "bob"),
    (error) =>
      error instanceof LauncherError && error.code === ErrorCode.InvalidRequest &&
      error.message === `Job asks for memory 4096; user bob may use at most 2048 (${FILE} [*])`,
  );
  assert.throws(
    () => jobLimitsForProfile([{ type: "cpuCount", value: "many" }], bob, "bob"),
    /Resource limit cpuCount must be a number, got "many"/,
  );
  assert.deepEqual(
    jobLimitsForProfile([], profiles.resolve("alice", () => []), "alice"),
    [{ type: "cpuCount", value: "8" }, { type: "memory", value: "512" }],
  );
});
