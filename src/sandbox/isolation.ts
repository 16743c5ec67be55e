import { decodeSegment, encodeSegment } from "./key_segment.ts";
import type { IsolationLevel } from "./manifest.ts";

/** The key of the one instance every subject shares (isolation `none`, Launcher admins). */
export const SHARED_KEY = "shared";

/** Who a Launcher request is for: the user and the tenant the user belongs to. */
export interface LauncherSubject {
  user: string;
  tenant: string;
}

/** Which Airflow task a coordinator runs: its DAG and DAG run. */
export interface AirflowSubject {
  dagId: string;
  runId: string;
}

/**
 * The instance that serves a subject (docs/architecture.md): one shared instance, one per tenant
 * (`<tenant>`), or one per user within a tenant (`<tenant>/<user>`), each name encoded by
 * {@linkcode encodeSegment}, so no two subjects share a key and no name becomes `shared`.
 * Launcher admins (`"*"`) use the shared key at namespace and session levels too, since
 * no single tenant or user applies.
 */
export function instanceKeyFor(level: IsolationLevel, subject: LauncherSubject): string {
  if (level === "none" || subject.user === "*") return SHARED_KEY;
  const tenant = encodeSegment(subject.tenant, "tenant");
  return level === "namespace" ? tenant : `${tenant}/${encodeSegment(subject.user, "user")}`;
}

/** The Airflow instance key: `shared`, the DAG, or the DAG and its run, encoded alike. */
export function airflowInstanceKey(level: IsolationLevel, subject: AirflowSubject): string {
  if (level === "none") return SHARED_KEY;
  const dag = encodeSegment(subject.dagId, "DAG id");
  return level === "namespace" ? dag : `${dag}/${encodeSegment(subject.runId, "run id")}`;
}

/** The subject names an instance key stands for (its segments decoded), `[]` for `shared`. */
export function keyNames(key: string): string[] {
  return key === SHARED_KEY ? [] : key.split("/").map(decodeSegment);
}

/** The private directory of an instance under the scratch path. */
export function instanceDirFor(scratch: string, key: string): string {
  return key === SHARED_KEY ? `${scratch}/shared` : `${scratch}/ns/${key}`;
}

/**
 * The tenant of a user: the explicit mapping first, else the user's primary group, else
 * the user's own name (a tenant of one).
 */
export function tenantOf(
  user: string,
  mapping: Readonly<Record<string, string>>,
  primaryGroup: (user: string) => string | undefined,
): string {
  return mapping[user] ?? primaryGroup(user) ?? user;
}
