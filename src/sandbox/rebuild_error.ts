import {
  ConfigReloadError,
  type ConfigReloadStage,
  type ErrorCode,
  LauncherError,
} from "../sdk/mod.ts";
import type { WireError } from "./rpc.ts";

/** Turns an error that crossed from the runner back into its class. */
export function rebuildError(wire: WireError): Error {
  if (wire.name === "LauncherError" && typeof wire.code === "number") {
    return new LauncherError(wire.code as ErrorCode, wire.message);
  }
  if (wire.name === "ConfigReloadError") {
    return new ConfigReloadError((wire.stage ?? "unknown") as ConfigReloadStage, wire.message);
  }
  const error = new Error(wire.message);
  error.name = wire.name;
  return error;
}
