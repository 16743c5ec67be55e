import { UsageError } from "./usage_error.ts";

export function runLauncherMode(_args: string[]): Promise<number> {
  return Promise.reject(new UsageError("not built yet"));
}
