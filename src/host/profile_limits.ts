import { ErrorCode, LauncherError, type ResourceLimit } from "../sdk/mod.ts";
import { PROFILE_KEYS, type ProfileKey, type ResolvedProfile } from "./user_profiles.ts";

/** The profile's bounds on one resource limit type. */
interface Bounds {
  type: string;
  max?: number;
  maxSource?: string;
  defaultValue?: number;
}

function boundsOf(profile: ResolvedProfile): Bounds[] {
  const byType = new Map<string, Bounds>();
  for (const [key, value] of Object.entries(profile.values) as [ProfileKey, number][]) {
    const { limit, kind } = PROFILE_KEYS[key];
    const bounds = byType.get(limit) ?? { type: limit };
    if (kind === "max") Object.assign(bounds, { max: value, maxSource: profile.sources[key] });
    else bounds.defaultValue = value;
    byType.set(limit, bounds);
  }
  return [...byType.values()];
}

const numeric = (text: string | undefined) =>
  text !== undefined && /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : undefined;

/**
 * ClusterInfo's resource limits as `profile` lets its user have them: each maximum lowered
 * to the profile's, the profile's default (never above the maximum) in place of the
 * plugin's. Types the plugin did not list are added.
 */
export function limitsForProfile(
  limits: readonly ResourceLimit[] | undefined,
  profile: ResolvedProfile,
): ResourceLimit[] | undefined {
  const bounds = boundsOf(profile);
  if (bounds.length === 0) return limits ? [...limits] : limits;
  const result = (limits ?? []).map((limit) => ({ ...limit }));
  for (const { type, max: profileMax, defaultValue } of bounds) {
    let limit = result.find((entry) => entry.type === type);
    if (!limit) result.push(limit = { type });
    const pluginMax = numeric(limit.maxValue);
    const max = profileMax === undefined ? pluginMax : Math.min(profileMax, pluginMax ?? Infinity);
    if (max !== undefined) limit.maxValue = String(max);
    const wanted = defaultValue ?? numeric(limit.defaultValue);
    if (wanted !== undefined) limit.defaultValue = String(Math.min(wanted, max ?? Infinity));
  }
  return result;
}

/**
 * A job's resource limits checked against its owner's profile, with the profile's defaults
 * added where the job sets none. Throws `InvalidRequest` naming the limit, the user and
 * where their maximum comes from.
 */
export function jobLimitsForProfile(
  limits: readonly ResourceLimit[] | undefined,
  profile: ResolvedProfile,
  user: string,
): ResourceLimit[] | undefined {
  const bounds = boundsOf(profile);
  if (bounds.length === 0) return limits ? [...limits] : limits;
  const result = (limits ?? []).map((limit) => ({ ...limit }));
  for (const { type, max, maxSource, defaultValue } of bounds) {
    const asked = result.find((entry) => entry.type === type);
    if (!asked) {
      if (defaultValue !== undefined) {
        result.push({ type, value: String(Math.min(defaultValue, max ?? Infinity)) });
      }
      continue;
    }
    if (max === undefined || asked.value === undefined) continue;
    const value = numeric(asked.value);
    if (value === undefined) {
      throw new LauncherError(
        ErrorCode.InvalidRequest,
        `Resource limit ${type} must be a number, got "${asked.value}"`,
      );
    }
    if (value > max) {
      throw new LauncherError(
        ErrorCode.InvalidRequest,
        `Job asks for ${type} ${asked.value}; user ${user} may use at most ${max} (${maxSource})`,
      );
    }
  }
  return result;
}
