import type { BreakerState } from "./circuit_breaker.ts";
import type { InstanceState } from "./instance_supervisor.ts";

/** One supervised plugin instance, as `/health` reports it. */
export interface InstanceHealth {
  readonly instance: string;
  readonly state: InstanceState;
  readonly breaker: BreakerState;
  /** Consecutive failures since the last success. */
  readonly failures: number;
  /** The last failure's reason (`""` before any). */
  readonly lastFailure: string;
}

/**
 * `ok`: everything serves. `degraded`: the host serves, but something is recovering or
 * refused (a restart in backoff, a start that failed, one instance's breaker open).
 * `failing`: the host cannot do its job (its job store cannot commit or is unreachable, or every plugin
 * instance's breaker is open), so a probe should take it out of service.
 */
export type HealthStatus = "ok" | "degraded" | "failing";

/** What the verdict is made from. */
export interface HealthInput {
  readonly plugin: string;
  readonly instances: readonly InstanceHealth[];
  /** Why the last job store commit failed, while no later one succeeded. */
  readonly storeFailure?: string | undefined;
  /** What fails in a shared job store (PostgreSQL), one sentence each naming the store. */
  readonly storeFailures?: readonly string[];
}

/** The verdict and the reasons behind it, one sentence each. */
export interface HealthVerdict {
  readonly status: HealthStatus;
  readonly reasons: string[];
}

/** Judges the host's health from its instances and job store. */
export function healthVerdict(input: HealthInput): HealthVerdict {
  const reasons: string[] = [];
  let failing = false;
  if (input.storeFailure !== undefined) {
    failing = true;
    reasons.push(`The job store cannot commit writes: ${input.storeFailure}`);
  }
  if (input.storeFailures && input.storeFailures.length > 0) {
    failing = true;
    reasons.push(...input.storeFailures);
  }
  for (const instance of input.instances) {
    const reason = instanceReason(input.plugin, instance);
    if (reason) reasons.push(reason);
  }
  const broken = input.instances.filter((instance) => instance.state === "broken");
  if (broken.length > 0 && broken.length === input.instances.length) failing = true;
  const status = failing ? "failing" : reasons.length > 0 ? "degraded" : "ok";
  return { status, reasons };
}

/** The HTTP status for a verdict: 503 only for `failing`, so a degraded host stays in service. */
export function httpStatusOf(status: HealthStatus): number {
  return status === "failing" ? 503 : 200;
}

function instanceReason(plugin: string, health: InstanceHealth): string | undefined {
  const name = `Plugin "${plugin}" instance "${health.instance}"`;
  const last = health.lastFailure;
  switch (health.state) {
    case "broken":
      return `${name} has its circuit breaker ${health.breaker} after ${health.failures} ` +
        `consecutive failures (last: ${last})`;
    case "backoff":
      return `${name} is restarting after failure ${health.failures} (${last})`;
    case "starting":
      return health.failures > 0
        ? `${name} is restarting after failure ${health.failures} (${last})`
        : undefined;
    case "stopped":
      return health.failures > 0 ? `${name} could not start: ${last}` : undefined;
    case "running":
      return undefined;
  }
}
