import { LauncherClient, type Message } from "../../launcher/launcher_client.ts";
import { selfCommand } from "../self_command.ts";

/** A plugin host `launchbox client` talks to, with the Launcher side of its channel. */
export interface ClientHost extends AsyncDisposable {
  readonly client: LauncherClient;
  readonly user: string;
  /** Sends a user request with the fields the Launcher always includes; resolves its reply. */
  ask(messageType: number, extra?: Record<string, unknown>): Promise<Message>;
  /** Builds such a request without sending it (for streams). */
  request(
    messageType: number,
    extra?: Record<string, unknown>,
  ): Record<string, unknown> & { requestId: number };
}

/** A {@linkcode ClientHost} over a bootstrapped client; `dispose` ends the channel. */
export function clientHostOver(
  client: LauncherClient,
  user: string,
  dispose: () => Promise<void>,
): ClientHost {
  const request = (messageType: number, extra: Record<string, unknown> = {}) =>
    client.userRequest(messageType, user, extra);
  return {
    client,
    user,
    request,
    ask: (messageType, extra) => client.request(request(messageType, extra)),
    [Symbol.asyncDispose]: dispose,
  };
}

/**
 * Spawns `launchbox` in plugin mode (no heartbeats) with piped stdio, as the client does;
 * `env` adds variables to the inherited environment.
 */
export function spawnPluginHost(
  hostArgs: readonly string[],
  env: Record<string, string> = {},
): Deno.ChildProcess {
  const { command, args } = selfCommand(["--heartbeat-interval-seconds=0", ...hostArgs]);
  return new Deno.Command(command, {
    args,
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Starts `launchbox` in plugin mode with these arguments as a child and bootstraps it. */
export async function startClientHost(hostArgs: string[], user: string): Promise<ClientHost> {
  const child = spawnPluginHost(hostArgs);
  const stderr = new Response(child.stderr).text();
  const client = new LauncherClient(child.stdout, child.stdin);
  const host = clientHostOver(client, user, async () => {
    await client.close();
    await child.status;
  });
  try {
    const boot = await client.bootstrap();
    if (boot.messageType !== 1) throw new Error(String(boot.errorMessage));
  } catch (error) {
    // A host that refuses its plugin exits at once; kill() then throws "Child process has
    // already terminated", which would hide the host's own reason.
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
    await child.status;
    throw new Error(
      `Cannot start the plugin host: ${(error as Error).message}\n${lastLines(await stderr)}`,
    );
  }
  return host;
}

/** The last lines of a host's stderr, for an error message. */
export function lastLines(text: string, count = 3): string {
  return text.trim().split("\n").slice(-count).join("\n");
}

/** An Error reply as a thrown error; other replies pass through. */
export function expectReply(reply: Message, messageType: number): Message {
  if (reply.messageType === -1) {
    throw new Error(`Launcher error ${reply.errorCode}: ${reply.errorMessage}`);
  }
  if (reply.messageType !== messageType) {
    throw new Error(`Unexpected reply ${JSON.stringify(reply)}`);
  }
  return reply;
}
