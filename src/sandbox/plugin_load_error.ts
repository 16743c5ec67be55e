/** A plugin that cannot be loaded: a bad manifest, a missing entry, a wrong SDK major. */
export class PluginLoadError extends Error {
  override readonly name = "PluginLoadError";
  /** The manifest or module at fault. */
  readonly file: string;
  /** 1-based line in `file`, when known. */
  readonly line: number | undefined;
  /** The manifest field at fault, when known (`permissions.read[1]`). */
  readonly field: string | undefined;
  /** Further problems of the same file, found in the same pass (a manifest's other fields). */
  readonly related: PluginLoadError[] = [];

  constructor(
    message: string,
    where: { file: string; line?: number; field?: string },
    options?: ErrorOptions,
  ) {
    const place = where.line === undefined ? where.file : `${where.file}:${where.line}`;
    super(`${place}: ${message}`, options);
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
  }
}
