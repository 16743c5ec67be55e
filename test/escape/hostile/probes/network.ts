/** The network: listening, connecting, resolving. */
import type { Probe } from "./_probe.ts";

export const NETWORK_PROBES: Probe[] = [
  {
    name: "listen_tcp",
    attempt: async () => Deno.listen({ port: 0 }),
    refused: /connect to "0\.0\.0\.0:0"$/,
  },
  {
    name: "listen_unix",
    attempt: async ({ ctx }) => Deno.listen({ transport: "unix", path: `${ctx.instanceDir}/sock` }),
    refused: /connect to "unix:\/.*\/sock"$/,
  },
  {
    name: "connect_tcp",
    attempt: () => Deno.connect({ hostname: "127.0.0.1", port: 9 }),
    refused: /connect to "127\.0\.0\.1:9"$/,
  },
  {
    name: "connect_unix",
    attempt: () => Deno.connect({ transport: "unix", path: "/run/systemd/private" }),
    refused: /(connect to "unix:\/run\/systemd\/private"|read "\/run\/systemd\/private")$/,
  },
  {
    name: "websocket_loopback",
    attempt: () =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket("ws://127.0.0.1:80/");
        socket.onopen = () => resolve("open");
        socket.onerror = (event) => reject((event as ErrorEvent).error ?? new Error("error"));
      }),
    refused: /connect to "127\.0\.0\.1:80"$/,
  },
  {
    name: "resolve_dns",
    attempt: () => Deno.resolveDns("example.com", "A"),
    refused: /connect to "[^"]+"$/,
  },
  {
    name: "fetch_loopback",
    attempt: () => fetch("http://127.0.0.1:80/"),
    refused: /connect to "127\.0\.0\.1:80"/,
  },
];
