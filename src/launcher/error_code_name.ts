import { ErrorCode } from "../sdk/mod.ts";

const NAMES = new Map<number, string>(
  Object.entries(ErrorCode).map(([name, code]) => [code, name]),
);

/** The protocol name of an error code (`2` → `InvalidRequest`); `Code<n>` for one outside 0–10. */
export function errorCodeName(code: number): string {
  return NAMES.get(code) ?? `Code${code}`;
}
