import type { IsolationLevel } from "./manifest.ts";

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
 * The instance that serves a subject (DESIGN §4): one shared instance, one per tenant,
 * or one per user within a tenant. Launcher admins (`"*"`) use the shared key at
 * namespace and session levels too, since no single tenant or user applies; a tenant
 * that is really named `shared` gets `_shared_`, so it never shares the admins' instance.
 */
export function instanceKeyFor(level: IsolationLevel, subject: LauncherSubject): string {
  if (level === "none" || subject.user === "*") return "shared";
  const tenant = safeSegment(subject.tenant);
  if (level === "namespace") return tenant === "shared" ? "_shared_" : tenant;
  return `${tenant}/${safeSegment(subject.user)}`;
}

/** The Airflow instance key: `shared`, the DAG, or the DAG run. */
export function airflowInstanceKey(level: IsolationLevel, subject: AirflowSubject): string {
  if (level === "none") return "shared";
  const dag = safeSegment(subject.dagId);
  return level === "namespace" ? dag : `${dag}/${safeSegment(subject.runId)}`;
}

/** The private directory of an instance under the scratch path. */
export function instanceDirFor(scratch: string, key: string): string {
  return key === "shared" ? `${scratch}/shared` : `${scratch}/ns/${key}`;
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

/** A path segment from a name: `/`, `..` and control characters cannot escape the scratch tree. */
export function safeSegment(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._@+-]/g, "_");
  return cleaned === "" || cleaned === "." || cleaned === ".." ? `_${cleaned}_` : cleaned;
}
