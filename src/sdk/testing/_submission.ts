import type { Job, JobUpdate } from "../job.ts";
import { ErrorCode, LauncherError } from "../launcher_error.ts";
import type { MemoryJobs } from "./_memory_jobs.ts";

/** The job's owner; throws InvalidRequest like the host for a submission it would refuse. */
export function checkSubmission(user: string, fields: Omit<Job, "id">): string {
  const invalid = (message: string) => new LauncherError(ErrorCode.InvalidRequest, message);
  if (user !== "*" && fields.user && fields.user !== user) {
    throw invalid(`Job user "${fields.user}" does not match the requesting user "${user}"`);
  }
  const owner = fields.user || (user === "*" ? "" : user);
  if (!owner) throw invalid('User must not be empty: an admin ("*") submission must set job.user');
  if (fields.command && fields.exe) throw invalid("Job must set either command or exe, not both");
  if (!fields.command && !fields.exe && !fields.container) {
    throw invalid("Job must set command or exe (or a container)");
  }
  return owner;
}

/**
 * Applies a submit update like the host: fields first, then the status on its own, so a
 * status refused because the plugin already reported a later one keeps the other fields.
 */
export function applySubmitChange(jobs: MemoryJobs, id: string, change: JobUpdate): void {
  const { status, statusMessage, ...fields } = change;
  if (Object.keys(fields).length > 0) jobs.update(id, fields);
  const statusChange: JobUpdate = {};
  if (status !== undefined) statusChange.status = status;
  if (statusMessage !== undefined) statusChange.statusMessage = statusMessage;
  if (Object.keys(statusChange).length > 0) jobs.update(id, statusChange, { late: true });
}
