import assert from "node:assert/strict";
import { UserProfiles } from "./user_profiles.ts";

const FILE = "/etc/rstudio/launcher.local.profiles.conf";
const TEXT = `
# everyone
[*]
max-cpus=2
max-mem-mb=1024
default-mem-mb=512

[@power]
max-cpus=8
max-mem-mb=8192

[@gpu]
max-cpus=16

[alice]
max-mem-mb=2048
`;

Deno.test("UserProfiles applies [*], then the user's groups in file order, then [user]", () => {
  const profiles = UserProfiles.parse(TEXT, FILE);
  assert.deepEqual(profiles.resolve("bob", () => ["staff"]).values, {
    "max-cpus": 2,
    "max-mem-mb": 1024,
    "default-mem-mb": 512,
  });
  const carol = profiles.resolve("carol", () => ["gpu", "power"]);
  assert.equal(carol.values["max-cpus"], 16, "[@gpu] comes after [@power] in the file");
  assert.equal(carol.sources["max-cpus"], `${FILE} [@gpu]`);
  const alice = profiles.resolve("alice", () => ["power"]);
  assert.deepEqual(alice.values, {
    "max-cpus": 8,
    "max-mem-mb": 2048,
    "default-mem-mb": 512,
  });
  assert.equal(alice.sources["max-mem-mb"], `${FILE} [alice]`);
  assert.deepEqual(UserProfiles.none().resolve("alice", () => []).values, {});
});

Deno.test("UserProfiles refuses a broken file naming the line and what is wrong", () => {
  const refused = (text: string, message: RegExp) =>
    assert.throws(() => UserProfiles.parse(text, FILE), message);
  refused("max-cpus=2\n", /line 1: "max-cpus=2" comes before any \[section\]/);
  refused("[*]\nmax-gpus=1\n", /line 2: unknown key "max-gpus" \(known: max-cpus, /);
  refused("[*]\n\nmax-cpus=lots\n", /line 3: max-cpus must be a positive number, got "lots"/);
  refused("[*]\nmax-mem-mb=0\n", /max-mem-mb must be a positive number, got "0"/);
  refused("[*]\nmax-cpus\n", /line 2: expected key=value or \[section\], got "max-cpus"/);
  refused("[@]\n", /line 1: empty section name/);
});

Deno.test("UserProfiles looks up groups only when the file has [@group] sections", () => {
  const noGroups = UserProfiles.parse("[*]\nmax-cpus=2\n[alice]\nmax-cpus=4\n", FILE);
  const refuse = () => assert.fail("groups were looked up");
  assert.deepEqual(noGroups.resolve("alice", refuse).values, { "max-cpus": 4 });
  let asked = 0;
  UserProfiles.parse(TEXT, FILE).resolve("bob", () => (asked++, ["power"]));
  assert.equal(asked, 1);
});
