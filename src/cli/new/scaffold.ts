/** What `launchbox new` writes, and where. */
export interface ScaffoldOptions {
  /** The plugin's name: its folder's name and the manifest's `name`. */
  name: string;
  /** The folder the plugin folder is made in. */
  parent: string;
  kind: "launcher" | "airflow";
  /** The SDK sources the plugin's deno.json maps `@launchbox/sdk` to. */
  sdkDir: string;
}

const TEMPLATES = new URL("./templates/", import.meta.url);
const FILES = {
  launcher: ["plugin.yaml", "mod.ts", "conformance_test.ts", "README.md"],
  airflow: ["plugin.yaml", "mod.ts", "bundle_test.ts", "README.md"],
} as const;

/** Manifest names (as src/sandbox/manifest.ts checks them). */
const NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/**
 * Writes a plugin folder that passes `launchbox check` and its own tests as it is: the
 * manifest, the module, a test, a README and a `deno.json` whose import map points the
 * SDK specifiers at `sdkDir`. Refuses a bad name and a folder that already exists.
 * Returns the folder and the files written.
 */
export async function scaffoldPlugin(options: ScaffoldOptions): Promise<{
  dir: string;
  files: string[];
}> {
  const { name, parent, kind } = options;
  if (!NAME.test(name)) {
    throw new RangeError(
      `Cannot create plugin "${name}": a name is lower-case letters, digits, "-" or "_", starting with a letter`,
    );
  }
  const dir = `${parent.replace(/\/$/, "")}/${name}`;
  if (await exists(dir)) {
    throw new RangeError(`Cannot create plugin "${name}": "${dir}" already exists`);
  }
  await Deno.mkdir(dir, { recursive: true });
  const files: string[] = [];
  const fill = (text: string) =>
    text.replaceAll("__NAME__", name).replaceAll("__SDK__", options.sdkDir)
      .replaceAll("__PARENT__", parent);
  for (const file of FILES[kind]) {
    const text = await Deno.readTextFile(new URL(`${kind}/${file}`, TEMPLATES));
    await Deno.writeTextFile(`${dir}/${file}`, fill(text));
    files.push(file);
  }
  await Deno.writeTextFile(`${dir}/deno.json`, denoJson(options.sdkDir));
  files.push("deno.json");
  return { dir, files };
}

/** The plugin's own deno.json: the SDK specifiers, the SDK's compiler options, two tasks. */
export function denoJson(sdkDir: string): string {
  const config = {
    imports: {
      "@launchbox/sdk": `${sdkDir}/mod.ts`,
      "@launchbox/sdk/testing": `${sdkDir}/testing/mod.ts`,
      "@launchbox/sdk/airflow": `${sdkDir}/airflow/mod.ts`,
    },
    compilerOptions: {
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      noImplicitOverride: true,
    },
    tasks: {
      check: "deno check .",
      // The suite runs jobs with /bin/sh and lists what is left of them with ps.
      test: "deno test --allow-read --allow-write --allow-env --allow-run=/bin/sh,ps",
    },
  };
  return JSON.stringify(config, null, 2) + "\n";
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
