/** Splits `host:port` (or `[v6]:port`) on the last colon; throws a `TypeError` naming the flag. */
export function parseAddress(flag: string, value: string): { hostname: string; port: number } {
  const colon = value.lastIndexOf(":");
  const host = value.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  const port = Number(value.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new TypeError(`Cannot use ${flag}=${value}: expected HOST:PORT`);
  }
  return { hostname: host, port };
}
