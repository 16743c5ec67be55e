/** One option of a client command, as `node:util` parseArgs takes it, with its help line. */
interface ClientOption {
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
  /** The value's placeholder in the help text. */
  readonly value?: string;
  readonly help: string;
}

/** One client command: how it is called, what it does and the options it takes. */
export interface ClientCommand {
  readonly usage: string;
  readonly summary: string;
  /** Besides {@linkcode HOST_OPTIONS}. */
  readonly options: Readonly<Record<string, ClientOption>>;
  /** Words after the command (`ID`, `OPERATION`), for the help text. */
  readonly positionals?: string;
}

/** Options every command that talks to a host takes: which host, and as whom. */
export const HOST_OPTIONS: Readonly<Record<string, ClientOption>> = {
  "plugin-name": { type: "string", value: "N", help: "the plugin (default inmemory)" },
  "plugins-dir": {
    type: "string",
    value: "D",
    help: "where plugins live (default: plugins/ beside launchbox)",
  },
  "config-file": {
    type: "string",
    value: "F",
    help: "the plugin's config file (launcher.<plugin>.conf)",
  },
  "scratch-path": {
    type: "string",
    value: "S",
    help: "job store and background host (default: /var/lib/launchbox/client/<plugin>\n" +
      "as root, else /var/tmp/launchbox-<uid>/<plugin>)",
  },
  "user": { type: "string", value: "U", help: "the job's user (default: you)" },
  "help": { type: "boolean", help: "this help" },
};

const OUTPUT_TYPES = "stdout|stderr|both";

/** Every client command but `demo` (see demo.ts) and `host` (host_command.ts). */
export const CLIENT_COMMANDS: Readonly<Record<string, ClientCommand>> = {
  submit: {
    usage: "submit (--command CMD | --exe PATH [--arg A]...) [options]",
    summary: "submit a job; --wait follows it until it ends",
    options: {
      "command": { type: "string", value: "CMD", help: "a shell command" },
      "exe": { type: "string", value: "PATH", help: "a program to run (with --arg)" },
      "arg": { type: "string", multiple: true, value: "A", help: "an argument (repeat)" },
      "name": { type: "string", value: "N", help: "the job's name (default: the command)" },
      "tag": { type: "string", multiple: true, value: "T", help: "a tag (repeat)" },
      "queue": { type: "string", multiple: true, value: "Q", help: "a queue it may use (repeat)" },
      "cpus": { type: "string", value: "N", help: "CPUs (resource limit cpuCount)" },
      "memory": { type: "string", value: "MB", help: "memory in MB (resource limit memory)" },
      "time-limit": {
        type: "string",
        value: "T",
        help: "run time: seconds, or with s, m or h (resource limit cpuTime)",
      },
      "config": {
        type: "string",
        multiple: true,
        value: "NAME=VALUE",
        help: "a plugin job setting, see `client cluster` (repeat)",
      },
      "wait": {
        type: "boolean",
        help:
          "follow the job's status until it ends; exit with its exit code (0 when it finished cleanly, 1 when it failed without one)",
      },
    },
  },
  jobs: {
    usage: "jobs [--status S]... [--tag T]... [options]",
    summary: "list jobs: ID, status, exit code, scheduler ID, user, name",
    options: {
      "status": {
        type: "string",
        multiple: true,
        value: "S",
        help: "only jobs in this status (repeat)",
      },
      "tag": {
        type: "string",
        multiple: true,
        value: "T",
        help: "only jobs with this tag (repeat)",
      },
    },
  },
  status: {
    usage: "status ID [options]",
    summary: "follow a job's status until it ends",
    positionals: "ID",
    options: {},
  },
  output: {
    usage: `output ID [--type ${OUTPUT_TYPES}] [options]`,
    summary: "print a job's output (until it ends)",
    positionals: "ID",
    options: {
      "type": { type: "string", value: OUTPUT_TYPES, help: "which output (default both)" },
    },
  },
  control: {
    usage: "control ID suspend|resume|stop|kill|cancel [options]",
    summary: "suspend, resume, stop, kill or cancel a job",
    positionals: "ID OPERATION",
    options: {},
  },
  cluster: {
    usage: "cluster [options]",
    summary: "what the plugin offers: queues, limits, job settings, containers",
    options: {},
  },
};

/** `launchbox client <name> --help`. */
export function commandHelp(name: string, command: ClientCommand): string {
  const lines = [`launchbox client ${command.usage}`, "", `  ${capitalise(command.summary)}.`, ""];
  const own = Object.entries(command.options);
  if (own.length > 0) lines.push("Options:", ...own.map(optionLine), "");
  lines.push("Host options:", ...Object.entries(HOST_OPTIONS).map(optionLine), "");
  lines.push(
    "The command talks to the background host of its scratch path and starts one when none",
    "runs (see launchbox client host --help). Example:",
    `  launchbox client ${example(name)}`,
  );
  return lines.join("\n") + "\n";
}

const HELP_COLUMN = 26;

function optionLine([name, option]: [string, ClientOption]): string {
  const flag = `  --${name}${option.value ? ` ${option.value}` : ""}`;
  const [first, ...more] = option.help.split("\n");
  const pad = " ".repeat(HELP_COLUMN);
  const head = flag.length < HELP_COLUMN ? flag.padEnd(HELP_COLUMN) : `${flag}\n${pad}`;
  return [head + first, ...more.map((line) => pad + line)].join("\n");
}

function example(name: string): string {
  switch (name) {
    case "submit":
      return "submit --plugin-name local --command 'sleep 30' --cpus 1 --wait";
    case "jobs":
      return "jobs --plugin-name local --status Running";
    case "output":
      return "output 1 --plugin-name local --type stdout";
    case "control":
      return "control 1 stop --plugin-name local";
    default:
      return `${name}${name === "status" ? " 1" : ""} --plugin-name local`;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
