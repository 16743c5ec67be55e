/** How a manifest read fails: a `PluginLoadError` for the file, with the field and line. */
export type Fail = (message: string, field?: string, line?: number) => never;

/** Typed reads of one mapping, failing with the field's path and line. */
export class FieldReader {
  constructor(
    readonly map: Record<string, unknown>,
    readonly path: string,
    readonly lineOf: (path: string) => number | undefined,
    readonly fail: Fail,
  ) {}

  failAt(key: string, message: string, field = key): never {
    const full = `${this.path}${field}`;
    return this.fail(`field "${full}" ${message}`, full, this.lineOf(`${this.path}${key}`));
  }

  refuseUnknown(known: readonly string[]): void {
    for (const key of Object.keys(this.map)) {
      if (!known.includes(key)) {
        const full = `${this.path}${key}`;
        this.fail(`unknown field "${full}" (known: ${known.join(", ")})`, full, this.lineOf(full));
      }
    }
  }

  string(key: string, required: boolean): string | undefined {
    const value = this.map[key];
    if (value === undefined || value === null) {
      return required ? this.failAt(key, "is required") : undefined;
    }
    if (typeof value !== "string") {
      this.failAt(key, `must be a string, got ${JSON.stringify(value)}`);
    }
    return value as string;
  }

  /** The version, refused when YAML read it as a number (`1.10` becomes 1.1). */
  version(text: string): string {
    const value = this.map.version;
    if (typeof value === "number") {
      const line = text.split(/\r?\n/)[(this.lineOf("version") ?? 0) - 1] ?? "";
      const written = /^version:\s*([^\s#]+)/.exec(line)?.[1] ?? String(value);
      this.failAt(
        "version",
        `must be a quoted string: YAML reads ${written} as the number ${value}; write version: "${written}"`,
      );
    }
    return this.string("version", true)!;
  }

  integer(key: string, required: boolean, min = 0): number | undefined {
    const value = this.map[key];
    if (value === undefined || value === null) {
      return required ? this.failAt(key, "is required") : undefined;
    }
    if (!Number.isInteger(value) || (value as number) < min) {
      this.failAt(key, `must be a whole number >= ${min}, got ${JSON.stringify(value)}`);
    }
    return value as number;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(key, false) ?? fallback;
    if (!allowed.includes(value as T)) {
      this.failAt(key, `must be one of ${allowed.join(", ")}, got "${value}"`);
    }
    return value as T;
  }

  stringList(key: string): string[] {
    const value = this.map[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
      return this.failAt(key, "must be a list of strings");
    }
    return value;
  }

  child(key: string): FieldReader | undefined {
    const value = this.map[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "object" || Array.isArray(value)) {
      return this.failAt(key, "must be a mapping");
    }
    return new FieldReader(
      value as Record<string, unknown>,
      `${this.path}${key}.`,
      this.lineOf,
      this.fail,
    );
  }
}
