import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;
const BINARY = `${ROOT}dist/launchbox`;
const built = await Deno.stat(BINARY).then(() => true, () => false);

Deno.test("bin/build compiles without V8's code cache, which would live in the temp directory", async () => {
  const script = await Deno.readTextFile(`${ROOT}bin/build`);
  const compile = script.split("\n").find((line) => line.includes('"$deno" compile'));
  assert.ok(compile?.includes("--no-code-cache"), `deno compile line: ${compile}`);
});

Deno.test({
  name: `The compiled binary writes no cache to the temp directory or the user's home${
    built ? "" : " (skipped: no dist/launchbox; bin/build needs denort)"
  }`,
  ignore: !built,
  async fn() {
    const tmp = await Deno.makeTempDir();
    try {
      for (const dir of ["tmp", "home"]) await Deno.mkdir(`${tmp}/${dir}`);
      const env = { TMPDIR: `${tmp}/tmp`, HOME: `${tmp}/home`, PATH: "/usr/bin:/bin" };
      for (let run = 0; run < 2; run++) {
        await new Deno.Command(BINARY, { args: ["--help"], env, clearEnv: true, stdout: "null" })
          .output();
      }
      for (const dir of ["tmp", "home"]) {
        const left = [...Deno.readDirSync(`${tmp}/${dir}`)].map((entry) => entry.name);
        assert.deepEqual(left, [], `the binary left ${left} in ${dir}`);
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
