// No driver import here: the command line checks URLs without loading the driver.

/**
 * A URL fit for messages and logs: the password replaced by `***`. A value that is not a
 * URL is described, not quoted, since it may hold a secret.
 */
export function redactUrl(url: string | undefined): string {
  if (url === undefined) return "from the PG* environment variables";
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return `"${parsed.href}"`;
  } catch {
    return "(a URL that does not parse)";
  }
}
