import denoJson from "../../deno.json" with { type: "json" };

/** The version printed by `launchbox --version`. */
export const VERSION = denoJson.version;

export const VERSION_TEXT =
  `launchbox ${VERSION} (Launcher Plugin API 3.6, Deno ${Deno.version.deno})\n`;

export const HELP_TEXT = `launchbox ${VERSION}: a sandboxing plugin host for job launchers

Usage:
  launchbox [launcher options]       Posit Job Launcher plugin on stdin/stdout (the default)
  launchbox --comm=ADDR --logs=ADDR  Apache Airflow coordinator: run one task
  launchbox --airflow-metadata [--format yaml|json]
                                     print the task bundle metadata
  launchbox check [--plugins-dir D] [--json] [--user NAME]
                                     validate plugins and show their permissions; with
                                     --user, whether NAME can reach each session-user one
  launchbox new NAME [--dir D] [--kind launcher|airflow]
                                     scaffold a plugin folder (see docs/plugins.md)
  launchbox airflow-test DAG TASK [--plugins-dir D] [--variable K=V] [--connection ID=JSON]
                   [--xcom TASK[.KEY]=JSON] [--conf JSON] [--retry]
                                     run one bundle task against a fake Airflow supervisor
  launchbox client demo [options]    start a host and drive a short Launcher session
  launchbox client COMMAND [options] submit, list, follow and control jobs through a
                                     background host (launchbox client --help)
  launchbox version | help

Launcher options (the Launcher passes these; --name=value or --name value):
  --plugin-name NAME                 cluster name; picks the plugin of that name
  --plugins-dir DIR                  where plugins live (default: plugins/ beside the binary)
  --config-file FILE                 plugin config file (default: launcher.<name>.conf)
  --scratch-path DIR                 job store and instance directories
  --logging-dir DIR                  also write the log there
  --heartbeat-interval-seconds N     send a heartbeat every N seconds (0 disables; default 5)
  --job-expiry-hours N               forget finished jobs after N hours (default 24)
  --enable-debug-logging 0|1         debug log lines
  --metrics-address HOST:PORT        serve /metrics and /health
  --plugin-metrics-interval-seconds N  Metrics messages every N s to a 3.7+ Launcher (0 disables)
  --runner-pool-size N               runners started ahead for run_as: host (default 2; 0 disables)
  --server-user, --thread-pool-size, --unprivileged, --launcher-config-file,
  --log-level, --max-message-size, --rsandbox-path
`;
