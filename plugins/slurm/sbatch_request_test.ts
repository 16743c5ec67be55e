import assert from "node:assert/strict";
import { ErrorCode, LauncherError } from "@launchbox/sdk";
import { jobFiles } from "./job_files.ts";
import { batchScript, quote, sbatchRequest } from "./sbatch_request.ts";

const files = jobFiles("/scratch/i", { id: "7" });

Deno.test("sbatchRequest maps name, directory, files, queues, limits and begin to sbatch options", () => {
  const { args } = sbatchRequest({
    id: "7",
    name: "train model",
    command: "echo hi",
    workingDirectory: "/home/alice/work",
    queues: ["gpu", "debug"],
    resourceLimits: [
      { type: "cpuCount", value: "4" },
      { type: "memory", value: "1024" },
      { type: "time", value: "90" },
    ],
    config: [{ name: "begin", value: "now+60" }],
  }, files);
  assert.deepEqual(args, [
    "--parsable",
    "--job-name=train model",
    "--comment=launchbox job 7",
    "--input=/scratch/i/jobs/7/stdin",
    "--output=/scratch/i/jobs/7/stdout",
    "--error=/scratch/i/jobs/7/stderr",
    "--chdir=/home/alice/work",
    "--partition=gpu,debug",
    "--cpus-per-task=4",
    "--mem=1024M",
    "--time=90",
    "--begin=now+60",
  ]);
});

Deno.test("sbatchRequest rounds cpuTime seconds up to whole minutes", () => {
  const { args } = sbatchRequest({
    id: "7",
    exe: "/bin/true",
    resourceLimits: [{ type: "cpuTime", value: "61" }],
  }, files);
  assert.ok(args.includes("--time=2"));
  assert.ok(args.includes("--job-name=launchbox-7"));
});

Deno.test("sbatchRequest refuses containers, unknown limits and bad values as InvalidRequest", () => {
  const refuses = (job: Parameters<typeof sbatchRequest>[0], pattern: RegExp) =>
    assert.throws(() => sbatchRequest(job, files), (error: unknown) => {
      assert.ok(error instanceof LauncherError);
      assert.equal(error.code, ErrorCode.InvalidRequest);
      assert.match(error.message, pattern);
      return true;
    });
  refuses({ id: "1", container: { image: "ubuntu" } }, /containers/);
  refuses({ id: "1", command: "x", resourceLimits: [{ type: "gpu", value: "1" }] }, /"gpu"/);
  refuses({ id: "1", command: "x", resourceLimits: [{ type: "memory", value: "lots" }] }, /"lots"/);
  refuses({ id: "1", command: "x", environment: [{ name: "A-B", value: "1" }] }, /"A-B"/);
});

Deno.test("batchScript exports the environment and runs a command through sh with args", () => {
  const script = batchScript({
    id: "7",
    command: 'echo "$1 $GREETING"',
    args: ["it's"],
    environment: [{ name: "GREETING", value: "hello world" }],
  });
  assert.equal(
    script,
    [
      "#!/bin/sh",
      "export GREETING='hello world'",
      "export LAUNCHBOX_JOB_ID='7'",
      `exec /bin/sh -c 'echo "$1 $GREETING"' sh 'it'\\''s'`,
      "",
    ].join("\n"),
  );
});

Deno.test("batchScript runs an exe directly", () => {
  assert.match(
    batchScript({ id: "7", exe: "/bin/echo", args: ["a b"] }),
    /\nexec '\/bin\/echo' 'a b'\n$/,
  );
});

Deno.test("quote keeps any value one shell word", async () => {
  const value = `a 'b' "c" $d \`e\``;
  const out = await new Deno.Command("/bin/sh", { args: ["-c", `printf %s ${quote(value)}`] })
    .output();
  assert.equal(new TextDecoder().decode(out.stdout), value);
});
