/** How the client demos tell their session: a step the Launcher takes, and what came back. */
import { writeStdout } from "../exit.ts";

export function say(text: string): void {
  writeStdout(text);
}

/** `→ text`: a request the demo sends. */
export function step(text: string): void {
  say(`\n→ ${text}\n`);
}

/** `  ← text`: what came back. */
export function reply(text: string): void {
  say(`  ← ${text}\n`);
}

/** A Bootstrap answer's API version as `major.minor.patch`. */
export function versionText(version: unknown): string {
  const v = version as { major: number; minor: number; patch: number } | undefined;
  return v ? `${v.major}.${v.minor}.${v.patch}` : "unknown";
}
