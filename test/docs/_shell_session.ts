/** What one command line of a session did. */
export interface LineResult {
  readonly line: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for {@linkcode runSession}. */
export interface SessionOptions {
  cwd: string;
  env: Record<string, string>;
  /** A program and arguments that run the session's bash instead (`unshare …`). */
  wrap?: readonly string[];
  /** Lines run first in the same shell, their output not kept (a mount, say). */
  prelude?: readonly string[];
  /** Lines run last whatever happened (cleanup), their output not kept. */
  finally?: readonly string[];
  signal: AbortSignal;
}

/**
 * Runs `lines` one after the other in one bash, as typed at a prompt (a variable one sets
 * is there for the next), each line verbatim, and returns each line's exit code and output.
 * The environment is exactly `options.env`.
 */
export async function runSession(
  lines: readonly string[],
  options: SessionOptions,
): Promise<LineResult[]> {
  const out = await Deno.makeTempDir({ prefix: "launchbox-session-" });
  try {
    const script = [
      ...(options.prelude ?? []).map((line) => `${line} || exit 99`),
      ...lines.map((line, i) =>
        `{\n${line}\n} </dev/null >"${out}/${i}.out" 2>"${out}/${i}.err"; echo $? >"${out}/${i}.code"`
      ),
      ...(options.finally ?? []).map((line) => `${line} >/dev/null 2>&1`),
    ].join("\n");
    const [program, ...args] = [...(options.wrap ?? []), "/bin/bash", "-c", script];
    const run = await new Deno.Command(program!, {
      args,
      cwd: options.cwd,
      clearEnv: true,
      env: options.env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: options.signal,
    }).output();
    if (run.code === 99) {
      throw new Error(`Cannot start the session: ${new TextDecoder().decode(run.stderr)}`);
    }
    return await Promise.all(lines.map(async (line, i) => ({
      line,
      code: Number(await read(`${out}/${i}.code`) || "-1"),
      stdout: await read(`${out}/${i}.out`),
      stderr: await read(`${out}/${i}.err`),
    })));
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

async function read(path: string): Promise<string> {
  return await Deno.readTextFile(path).catch(() => "");
}
