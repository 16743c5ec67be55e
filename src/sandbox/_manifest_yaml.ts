/** A parsed manifest document: plain values, and the line of each key or list item. */
export interface ManifestDocument {
  value: unknown;
  /** 1-based line of `a.b` or `a.b[2]`; `undefined` when unknown. */
  lineOf(path: string): number | undefined;
}

/**
 * Parses the YAML subset manifests use: block mappings by indentation, `- ` lists,
 * flow lists `[a, "b"]` and flow maps `{ k: v }` of scalars, quoted and plain scalars
 * typed as YAML 1.2 core does, and comments. Returns `undefined` for anything else
 * (anchors, block scalars, tabs, duplicate keys, syntax errors): the caller then uses the
 * full YAML parser, which reports the exact problem. This keeps the full parser off the
 * start-up path of every host and task runtime.
 */
export function parseManifestYaml(text: string): ManifestDocument | undefined {
  try {
    const lines = new Map<string, number>();
    const root = new Parser(text.split(/\r?\n/), lines).block(0, "");
    return { value: root, lineOf: (path) => lines.get(path) };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

class Unsupported extends Error {}

class Parser {
  #index = 0;
  constructor(readonly lines: string[], readonly positions: Map<string, number>) {}

  /** A block mapping or list whose entries are indented exactly `indent`. */
  block(indent: number, path: string): unknown {
    const first = this.#peek();
    if (first && first.text.startsWith("- ")) return this.#list(first.indent, path);
    const map: Record<string, unknown> = {};
    for (let line = this.#peek(); line && line.indent === indent; line = this.#peek()) {
      this.#index++;
      const match = /^([A-Za-z_][\w-]*):(?:\s+(.*))?$/.exec(line.text);
      if (!match) throw new Unsupported();
      const [, key, rest] = match;
      if (Object.hasOwn(map, key!)) throw new Unsupported();
      const keyPath = path ? `${path}.${key}` : key!;
      this.positions.set(keyPath, line.number);
      const next = this.#peek();
      map[key!] = rest === undefined || rest === ""
        ? (next && next.indent > indent ? this.block(next.indent, keyPath) : null)
        : inlineValue(rest, keyPath, line.number, this.positions);
    }
    const left = this.#peek();
    if (left && left.indent > indent) throw new Unsupported();
    return map;
  }

  #list(indent: number, path: string): unknown[] {
    const items: unknown[] = [];
    for (
      let line = this.#peek();
      line && line.indent === indent && line.text.startsWith("- ");
      line = this.#peek()
    ) {
      this.#index++;
      this.positions.set(`${path}[${items.length}]`, line.number);
      items.push(scalar(line.text.slice(2).trim()));
    }
    return items;
  }

  /** The next meaningful line (comments and blanks skipped), without consuming it. */
  #peek(): { text: string; indent: number; number: number } | undefined {
    while (this.#index < this.lines.length) {
      const raw = this.lines[this.#index]!;
      if (raw.includes("\t")) throw new Unsupported();
      const text = stripComment(raw).trimEnd();
      if (text.trim() === "") {
        this.#index++;
        continue;
      }
      if (/^\s*(---|\.\.\.|%)/.test(text)) throw new Unsupported();
      return {
        text: text.trim(),
        indent: text.length - text.trimStart().length,
        number: this.#index + 1,
      };
    }
    return undefined;
  }
}

function inlineValue(
  text: string,
  path: string,
  line: number,
  positions: Map<string, number>,
): unknown {
  if (text.startsWith("[")) {
    const items = flowItems(text, "[", "]").map(scalar);
    items.forEach((_, i) => positions.set(`${path}[${i}]`, line));
    return items;
  }
  if (text.startsWith("{")) {
    const map: Record<string, unknown> = {};
    for (const entry of flowItems(text, "{", "}")) {
      const match = /^([A-Za-z_][\w-]*):\s+(.*)$/.exec(entry);
      if (!match || Object.hasOwn(map, match[1]!)) throw new Unsupported();
      map[match[1]!] = scalar(match[2]!);
      positions.set(`${path}.${match[1]}`, line);
    }
    return map;
  }
  return scalar(text);
}

/** The comma-separated items of `[…]` or `{…}` on one line (quotes respected). */
function flowItems(text: string, open: string, close: string): string[] {
  if (!text.endsWith(close)) throw new Unsupported();
  const inner = text.slice(open.length, -close.length).trim();
  if (inner === "") return [];
  const items: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (const char of inner) {
    if (quote) {
      current += char;
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
      current += char;
    } else if (char === ",") {
      items.push(current.trim());
      current = "";
    } else if ("[]{}".includes(char)) {
      throw new Unsupported();
    } else current += char;
  }
  if (quote) throw new Unsupported();
  items.push(current.trim());
  if (items.some((item) => item === "")) throw new Unsupported();
  return items;
}

/** A scalar typed as YAML 1.2's core schema types it. */
function scalar(text: string): unknown {
  if (text.startsWith('"')) {
    if (!/^"(?:[^"\\]|\\["\\nt/])*"$/.test(text)) throw new Unsupported();
    return JSON.parse(text);
  }
  if (text.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(text)) throw new Unsupported();
    return text.slice(1, -1).replaceAll("''", "'");
  }
  if (/^[&*!|>@`%]/.test(text) || /:\s|\s#/.test(text)) throw new Unsupported();
  if (/^(null|Null|NULL|~)?$/.test(text)) return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return Number(text);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  if (/^(0o|0x|[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$)/.test(text)) throw new Unsupported();
  return text;
}

/** A line without its comment (`#` after whitespace, outside quotes). */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}
