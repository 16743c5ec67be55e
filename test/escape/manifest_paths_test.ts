/**
 * Issue #11 item 2: manifest rules were checked as strings, so `/.`, `/etc/.`,
 * `/etc/./shadow`, `//etc/shadow` and `${instance_dir}_x` passed and granted what the
 * rules forbid. Every entry is now normalised first and a placeholder must be followed
 * by `/` or end the entry. A real host refuses each probe (one level per probe, cycling
 * through all four); `check` refuses every probe at every level in one run.
 */
import assert from "node:assert/strict";
import { runLaunchbox } from "../_support/host_process.ts";
import {
  installPlugin,
  LEVELS,
  pluginsRoot,
  type Probe,
  type RefusedCase,
  testRefusedAtStart,
} from "./_hostile_plugins.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const READ = 'read: ["${plugin_dir}", "${instance_dir}"]';
const WRITE = 'write: ["${instance_dir}"]';
const reads = (entry: string): Probe => ({
  manifest: { [READ]: `read: ["\${plugin_dir}", "\${instance_dir}", "${entry}"]` },
});
const writes = (entry: string): Probe => ({
  manifest: { [WRITE]: `write: ["\${instance_dir}", "${entry}"]` },
});

/** [plugin name, probe, config, the refusal check must print]. */
const PROBES: RefusedCase[] = [
  ["reads_slash_dot", reads("/."), ["target=/etc/shadow"], /"\/\." reads the whole file system/],
  [
    "reads_etc_dot",
    reads("/etc/."),
    ["target=/etc/shadow"],
    /"\/etc\/\." reaches the host's secrets \("\/etc\/shadow"\)/,
  ],
  [
    "reads_etc_dot_shadow",
    reads("/etc/./shadow"),
    ["target=/etc/shadow"],
    /"\/etc\/\.\/shadow" reaches the host's secrets/,
  ],
  [
    "reads_double_slash_shadow",
    reads("//etc/shadow"),
    ["target=/etc/shadow"],
    /"\/\/etc\/shadow" reaches the host's secrets/,
  ],
  [
    "reads_proc_trailing_slash",
    reads("/proc/self/"),
    ["target=/proc/self/environ"],
    /"\/proc\/self\/" reaches the host's secrets \("\/proc"\)/,
  ],
  [
    "writes_instance_sibling",
    writes("${instance_dir}_x"),
    ["target=@INSTANCE@_x/escaped.txt", "write=1"],
    /"\$\{instance_dir\}_x" must have "\/" or nothing after \$\{instance_dir\}/,
  ],
  [
    "reads_plugin_dir_sibling",
    reads("${plugin_dir}.old"),
    ["target=@HERE@.old/secret"],
    /"\$\{plugin_dir\}\.old" must have "\/" or nothing after \$\{plugin_dir\}/,
  ],
];

await testRefusedAtStart(
  "reads_granted_path",
  "the entry",
  PROBES,
  (index) => [LEVELS[index % LEVELS.length]!],
);

Deno.test(
  "check refuses every unnormalised or sibling entry at every level, and exits 1",
  opts,
  async () => {
    await using root = await pluginsRoot();
    const names: [string, RegExp][] = [];
    for (const level of LEVELS) {
      for (const [name, probe, , message] of PROBES) {
        const full = `${name}_${level.label.replace(/\W/g, "_")}`;
        await installPlugin(root.dir, "reads_granted_path", { name: full, level, probe });
        names.push([full, message]);
      }
    }
    await installPlugin(root.dir, "reads_granted_path", { name: "fine", level: LEVELS[0]! });
    const { code, stdout } = await runLaunchbox(["check", `--plugins-dir=${root.dir}`, "--json"]);
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as {
      plugins: { name: string }[];
      errors: { file: string; field: string; message: string }[];
    };
    assert.deepEqual(report.plugins.map((p) => p.name), ["fine"]);
    for (const [full, message] of names) {
      const error = report.errors.find((e) => e.file === `${root.dir}/${full}/plugin.yaml`);
      assert.ok(error, `check reported ${full}`);
      assert.match(error.message, message);
      assert.match(error.field, /^permissions\.(read|write)\[2\]$|^permissions\.write\[1\]$/);
    }
  },
);
