import assert from "node:assert/strict";
import { defaultConfigPath, parseConfigFile, readConfigFile } from "./config_file.ts";
import { UsageError } from "./usage_error.ts";

/** Runs `body` with environment variables set (or removed), then restores them. */
async function withEnv(
  vars: Record<string, string | undefined>,
  body: () => void | Promise<void>,
): Promise<void> {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, Deno.env.get(key)]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) Deno.env.delete(key);
      else Deno.env.set(key, value);
    }
  };
  apply(vars);
  try {
    await body();
  } finally {
    apply(saved);
  }
}

Deno.test("parseConfigFile reads key=value lines, trimming and skipping comments", () => {
  const text =
    "# a comment\n\n  plugin = local \r\nempty=\nurl=http://x/?a=b\n  # indented\nplugin=b";
  assert.deepEqual(Object.fromEntries(parseConfigFile(text, "/c.conf")), {
    plugin: "b",
    empty: "",
    url: "http://x/?a=b",
  });
});

Deno.test("parseConfigFile refuses a line without a key, naming file and line", () => {
  for (const [line, shown] of [["novalue", "novalue"], ["  =x", "=x"]]) {
    assert.throws(() => parseConfigFile(`a=1\n\n${line}`, "/etc/x.conf"), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(
        error.message,
        `Cannot read /etc/x.conf line 3: expected key=value, got "${shown}"`,
      );
      return true;
    });
  }
});

Deno.test("defaultConfigPath prefers RSTUDIO_CONFIG_DIR", async () => {
  await withEnv({ RSTUDIO_CONFIG_DIR: "/opt/conf", XDG_CONFIG_DIRS: "/tmp" }, () => {
    assert.equal(defaultConfigPath("launcher.x.conf"), "/opt/conf/launcher.x.conf");
  });
});

Deno.test("defaultConfigPath takes the first XDG_CONFIG_DIRS entry with an rstudio folder", async () => {
  const first = await Deno.makeTempDir();
  const second = await Deno.makeTempDir();
  const third = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${second}/rstudio`);
    await Deno.mkdir(`${third}/rstudio`);
    const dirs = `${first}::/no/such/dir:${second}:${third}`;
    await withEnv({ RSTUDIO_CONFIG_DIR: undefined, XDG_CONFIG_DIRS: dirs }, () => {
      assert.equal(defaultConfigPath("launcher.x.conf"), `${second}/rstudio/launcher.x.conf`);
    });
    await withEnv({ RSTUDIO_CONFIG_DIR: "", XDG_CONFIG_DIRS: first }, () => {
      assert.equal(defaultConfigPath("launcher.x.conf"), "/etc/rstudio/launcher.x.conf");
    });
  } finally {
    for (const dir of [first, second, third]) await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("defaultConfigPath falls back to /etc/rstudio", async () => {
  await withEnv({ RSTUDIO_CONFIG_DIR: undefined, XDG_CONFIG_DIRS: undefined }, () => {
    assert.equal(defaultConfigPath("launcher.y.conf"), "/etc/rstudio/launcher.y.conf");
  });
});

Deno.test("readConfigFile returns undefined for a missing file that was not asked for", () => {
  assert.equal(readConfigFile("/no/such/launcher.conf", false), undefined);
});

Deno.test("readConfigFile refuses a missing file given with --config-file", () => {
  assert.throws(() => readConfigFile("/no/such/launcher.conf", true), (error: unknown) => {
    assert.ok(error instanceof UsageError);
    assert.match(
      error.message,
      /^Cannot read config file \/no\/such\/launcher\.conf \(set by --config-file\): /,
    );
    return true;
  });
});

Deno.test("readConfigFile reads an existing file", async () => {
  const path = await Deno.makeTempFile({ suffix: ".conf" });
  try {
    await Deno.writeTextFile(path, "plugin=local\n");
    assert.deepEqual(readConfigFile(path, false), new Map([["plugin", "local"]]));
  } finally {
    await Deno.remove(path);
  }
});
