import { UsageError } from "./usage_error.ts";

/** Exit code for bad command-line input, as Go's flag package uses. */
export const EXIT_USAGE = 2;
/** Exit code for any other failure. */
export const EXIT_FAILURE = 1;

/**
 * The one place errors become stderr text and exit codes: a usage error prints one line
 * and exits 2; anything else prints its message (and stack when debugging) and exits 1.
 */
export async function runMain(main: () => Promise<number | void>): Promise<never> {
  reportUncaughtPlainly();
  let code: number;
  try {
    code = (await main()) ?? 0;
  } catch (error) {
    code = reportFailure(error);
  }
  Deno.exit(code);
}

/**
 * Deno prints an uncaught error in colour even into a pipe or file unless `NO_COLOR` is set
 * (`bin/launchbox` sets it; a compiled binary cannot). Then an uncaught error is reported
 * here instead, as plain text, and ends the process with exit code 1 as Deno's would.
 */
export function reportUncaughtPlainly(): void {
  if (Deno.noColor || Deno.stderr.isTerminal()) return;
  const fail = (event: Event, error: unknown) => {
    event.preventDefault();
    Deno.exit(reportFailure(error));
  };
  globalThis.addEventListener("error", (event) => fail(event, event.error));
  globalThis.addEventListener("unhandledrejection", (event) => fail(event, event.reason));
}

/** Writes a failure to stderr and returns its exit code. */
export function reportFailure(error: unknown): number {
  const usage = error instanceof UsageError;
  const message = error instanceof Error ? error.message : String(error);
  const prefix = usage ? "launchbox: " : "launchbox: error: ";
  writeStderr(`${prefix}${message}\n`);
  if (!usage && error instanceof Error && Deno.env.get("LAUNCHBOX_DEBUG") && error.stack) {
    writeStderr(`${error.stack}\n`);
  }
  return usage ? EXIT_USAGE : EXIT_FAILURE;
}

/** Writes text to stderr, ignoring a closed stream. */
export function writeStderr(text: string): void {
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(text));
  } catch {
    // Nothing else can be told when stderr is gone.
  }
}

/** Writes text to stdout (help, version, check, client output; never in plugin mode). */
export function writeStdout(text: string): void {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  while (offset < bytes.length) offset += Deno.stdout.writeSync(bytes.subarray(offset));
}
