import type { JobNetwork } from "../sdk/mod.ts";

/** This machine's name and non-loopback addresses: the network of jobs run on this host. */
export function localNetwork(host?: string): JobNetwork {
  const addresses = Deno.networkInterfaces()
    .filter((entry) => !isLoopback(entry.address) && !entry.address.startsWith("fe80:"))
    .map((entry) => entry.address);
  return { host: host || Deno.hostname(), ipAddresses: [...new Set(addresses)] };
}

function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1";
}
