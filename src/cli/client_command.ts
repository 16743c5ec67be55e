import { runDemo } from "./client_demo.ts";
import { UsageError } from "./usage_error.ts";

/** `launchbox client <command>`: drive a plugin host the way the Launcher does. */
export async function runClient(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "demo":
      return await runDemo(rest);
    case undefined:
      throw new UsageError("Missing client command; try: launchbox client demo");
    default:
      throw new UsageError(`Unknown client command "${command}"; try: launchbox client demo`);
  }
}
