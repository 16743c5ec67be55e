/** The checkout's root, as a path ending in `/`. */
export const ROOT = new URL("../../", import.meta.url).pathname;

/** Top-level folders of the checkout whose paths a document may name in backticks. */
const CHECKED_ROOTS = ["src", "plugins", "test", "bench", "scripts", "docs", "bin"];
const PATH_PATTERN = new RegExp(`^(?:${CHECKED_ROOTS.join("|")})/[^\\s]*$`);
/** A segment a document uses as a placeholder: `plugins/<name>/`, `src/cli/<name>_command.ts`. */
const PLACEHOLDER = /[<{*$]/;

/**
 * The checkout paths a Markdown text names as inline code (`src/host/`, `plugins/local/mod.ts`),
 * in order of first appearance, each once. Fenced code blocks are left out: they hold
 * commands and diagrams, not references.
 */
export function backtickedPaths(markdown: string): string[] {
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, "");
  const paths = new Set<string>();
  for (const match of prose.matchAll(/`([^`\n]+)`/g)) {
    const text = match[1]!.trim();
    if (PATH_PATTERN.test(text)) paths.add(text);
  }
  return [...paths];
}

/**
 * The part of a path that must exist: all of it, or the folders before its first
 * placeholder segment (`plugins/<name>/mod.ts` → `plugins/`).
 */
export function existingPart(path: string): string {
  const segments = path.split("/");
  const first = segments.findIndex((segment) => PLACEHOLDER.test(segment));
  return first === -1 ? path : `${segments.slice(0, first).join("/")}/`;
}

/** Relative link targets of a Markdown text (`[x](docs/slurm.md)`), without their `#anchor`. */
export function relativeLinks(markdown: string): string[] {
  const links = new Set<string>();
  for (const match of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1]!;
    if (/^[a-z]+:/i.test(target) || target.startsWith("#")) continue;
    links.add(target.replace(/#.*$/, ""));
  }
  return [...links];
}

/** Whether `path` (relative to the checkout, or absolute) exists; a trailing `/` needs a folder. */
export function exists(path: string, base = ROOT): boolean {
  const absolute = path.startsWith("/") ? path : `${base}${path}`;
  try {
    const info = Deno.statSync(absolute);
    return path.endsWith("/") ? info.isDirectory : true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw error;
  }
}
