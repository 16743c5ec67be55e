/** A fenced ```sh block of a Markdown text: its command lines and the heading above it. */
export interface ShellBlock {
  readonly heading: string;
  /** The lines as written, comments included; blank lines left out. */
  readonly lines: readonly string[];
}

/** The ```sh blocks of `markdown`, in order, each under its nearest heading. */
export function shellBlocks(markdown: string): ShellBlock[] {
  const blocks: ShellBlock[] = [];
  let heading = "";
  let open: string[] | undefined;
  for (const line of markdown.split("\n")) {
    if (open) {
      if (line.startsWith("```")) {
        blocks.push({ heading, lines: open });
        open = undefined;
      } else if (line.trim()) open.push(line);
    } else if (line === "```sh") open = [];
    else if (line.startsWith("```")) open = undefined;
    else if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, "");
  }
  return blocks;
}

/** A command line without its trailing `# comment` (the key it is known by). */
export function commandOf(line: string): string {
  return line.replace(/\s+#\s.*$/, "").trim();
}
