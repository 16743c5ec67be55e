import assert from "node:assert/strict";
import { readLauncherOptions } from "./launcher_options.ts";
import { UsageError } from "./usage_error.ts";

/**
 * Runs `body` with RSTUDIO_CONFIG_DIR pointing at a fresh folder holding `files`, so no
 * config file of the machine is read, then restores the environment and removes the folder.
 */
async function inConfigDir(
  files: Record<string, string>,
  body: (dir: string) => void | Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-options-" });
  const saved = Deno.env.get("RSTUDIO_CONFIG_DIR");
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    Deno.env.set("RSTUDIO_CONFIG_DIR", dir);
    await body(dir);
  } finally {
    if (saved === undefined) Deno.env.delete("RSTUDIO_CONFIG_DIR");
    else Deno.env.set("RSTUDIO_CONFIG_DIR", saved);
    await Deno.remove(dir, { recursive: true });
  }
}

function refuses(args: string[], message: string | RegExp): void {
  assert.throws(() => readLauncherOptions(args), (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

Deno.test("readLauncherOptions gives the documented defaults", async () => {
  await inConfigDir({}, () => {
    assert.deepEqual(readLauncherOptions([]), {
      debug: false,
      heartbeatIntervalSeconds: 5,
      jobExpiryHours: 24,
      pluginName: "",
      scratchPath: "/var/lib/rstudio-launcher/launchbox",
      loggingDir: "/var/log/rstudio/launcher",
      serverUser: "rstudio-server",
      unprivileged: Deno.uid() !== 0,
      maxMessageSize: 5242880,
      pluginsDir: undefined,
      metricsAddress: undefined,
      pluginMetricsIntervalSeconds: undefined,
      jobStoreUrl: undefined,
      nodeId: Deno.hostname(),
      nodeAddress: Deno.hostname(),
      runnerPoolSize: 2,
      jobStoreSchema: undefined,
      nodeLeaseMs: 15_000,
      sharedOutputFiles: false,
      configuredPlugin: undefined,
      configFile: undefined,
      pluginConfig: {},
      origin: {
        "scratch-path": "default",
        "logging-dir": "default",
        "job-store-url": "--job-store-url",
      },
    });
  });
});

Deno.test("readLauncherOptions reads the command line in both forms", async () => {
  await inConfigDir({}, () => {
    const options = readLauncherOptions([
      "--plugin-name=local",
      "--heartbeat-interval-seconds",
      "0",
      "--enable-debug-logging",
      "--unprivileged=0",
      "--logging-dir",
      "/logs",
      "--metrics-address=127.0.0.1:9100",
    ]);
    assert.equal(options.pluginName, "local");
    assert.equal(options.heartbeatIntervalSeconds, 0);
    assert.equal(options.debug, true);
    assert.equal(options.unprivileged, false);
    assert.equal(options.loggingDir, "/logs");
    assert.equal(options.metricsAddress, "127.0.0.1:9100");
    assert.equal(options.scratchPath, "/var/lib/rstudio-launcher/local", "named after the plugin");
    assert.deepEqual(options.origin, {
      "scratch-path": "default",
      "logging-dir": "--logging-dir",
      "job-store-url": "--job-store-url",
    });
  });
});

Deno.test("readLauncherOptions turns debug on for --log-level=debug", async () => {
  await inConfigDir({}, () => {
    assert.equal(readLauncherOptions(["--log-level=DEBUG"]).debug, true);
    assert.equal(readLauncherOptions(["--log-level=warn"]).debug, false);
  });
});

Deno.test("readLauncherOptions lets config file values win over the command line", async () => {
  const conf = "heartbeat-interval-seconds=9\nscratch-path=/from/file\n";
  await inConfigDir({ "mine.conf": conf }, (dir) => {
    const path = `${dir}/mine.conf`;
    const options = readLauncherOptions([
      `--config-file=${path}`,
      "--heartbeat-interval-seconds=3",
      "--scratch-path=/from/cli",
      "--job-expiry-hours=2",
    ]);
    assert.equal(options.heartbeatIntervalSeconds, 9);
    assert.equal(options.scratchPath, "/from/file");
    assert.equal(options.jobExpiryHours, 2, "options the file does not set keep the cli value");
    assert.equal(options.configFile, path);
    assert.equal(options.origin["scratch-path"], `scratch-path in ${path}`);
  });
});

Deno.test("readLauncherOptions hands plugin= and unknown keys to the plugin", async () => {
  const conf = "plugin=local\nsecret-dir=/s\nqueue=batch\nserver-user=svc\n";
  await inConfigDir({ "launcher.mycluster.conf": conf }, (dir) => {
    const options = readLauncherOptions(["--plugin-name=mycluster"]);
    assert.equal(options.configFile, `${dir}/launcher.mycluster.conf`, "found by plugin name");
    assert.equal(options.configuredPlugin, "local");
    assert.deepEqual(options.pluginConfig, { "secret-dir": "/s", queue: "batch" });
    assert.equal(options.serverUser, "svc");
  });
});

Deno.test("readLauncherOptions reads launcher.launchbox.conf when no plugin name is given", async () => {
  await inConfigDir({ "launcher.launchbox.conf": "plugin=demo\n" }, () => {
    assert.equal(readLauncherOptions([]).configuredPlugin, "demo");
  });
});

Deno.test("readLauncherOptions refuses a --config-file that does not exist", async () => {
  await inConfigDir({}, (dir) => {
    refuses(
      [`--config-file=${dir}/missing.conf`],
      new RegExp(`^Cannot read config file ${dir}/missing\\.conf \\(set by --config-file\\)`),
    );
  });
});

Deno.test("readLauncherOptions refuses bad numbers and booleans naming the option", async () => {
  await inConfigDir({ "bad.conf": "job-expiry-hours=soon\n" }, (dir) => {
    for (const value of ["abc", "-1", "1.5", ""]) {
      refuses(
        [`--heartbeat-interval-seconds=${value}`],
        `Option --heartbeat-interval-seconds must be a whole number >= 0, got "${value}"`,
      );
    }
    refuses(
      ["--enable-debug-logging=maybe"],
      'Option --enable-debug-logging must be 0 or 1, got "maybe"',
    );
    refuses(["--unprivileged=2"], 'Option --unprivileged must be 0 or 1, got "2"');
    refuses(
      [`--config-file=${dir}/bad.conf`],
      'Option --job-expiry-hours must be a whole number >= 0, got "soon"',
    );
  });
});

Deno.test("readLauncherOptions refuses unknown options and positional words", async () => {
  await inConfigDir({}, () => {
    refuses(["--nope=1", "--nada"], "Unknown options --nope, --nada (see --help)");
    refuses(["run"], 'Unexpected argument "run" (see --help)');
  });
});

Deno.test("readLauncherOptions sets the Metrics interval only when it is given", async () => {
  await inConfigDir({}, () => {
    const given = readLauncherOptions(["--plugin-metrics-interval-seconds", "30"]);
    assert.equal(given.pluginMetricsIntervalSeconds, 30);
    assert.equal(readLauncherOptions([]).pluginMetricsIntervalSeconds, undefined);
    refuses(["--plugin-metrics-interval-seconds=soon"], /--plugin-metrics-interval-seconds/);
  });
});

Deno.test("readLauncherOptions reads the cluster keys and refuses bad ones naming the key", async () => {
  await inConfigDir({
    "launcher.local.conf":
      "node-lease-seconds=2.5\njob-store-schema=team_a\nshared-output-files=1\n",
  }, () => {
    const options = readLauncherOptions(["--plugin-name=local"]);
    assert.equal(options.nodeLeaseMs, 2_500);
    assert.equal(options.jobStoreSchema, "team_a");
    assert.equal(options.sharedOutputFiles, true);
    assert.equal(readLauncherOptions(["--node-lease-seconds=1"]).nodeLeaseMs, 1_000);
    for (const bad of ["0.5", "3601", "soon", "-3", ""]) {
      refuses(
        [`--node-lease-seconds=${bad}`],
        `Option --node-lease-seconds must be a number of seconds from 1 to 3600, got "${bad}"`,
      );
    }
    refuses(
      ["--job-store-schema=Team-A"],
      'Option --job-store-schema must be 1-40 lower-case letters, digits or "_", not ' +
        'starting with a digit, got "Team-A"',
    );
    refuses(["--shared-output-files=maybe"], /--shared-output-files must be 0 or 1/);
    assert.equal(readLauncherOptions(["--runner-pool-size=64"]).runnerPoolSize, 64);
    refuses(["--runner-pool-size=65"], "Option --runner-pool-size must be at most 64, got 65");
    refuses(
      ["--runner-pool-size=-1"],
      'Option --runner-pool-size must be a whole number >= 0, got "-1"',
    );
  });
});
