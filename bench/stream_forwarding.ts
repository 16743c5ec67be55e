// deno-lint-ignore-file no-console
/**
 * A stream of another node's job forwarded over the node channel (issue #14, step 3 of
 * the streams work): two `NodeChannel`s on two `PostgresJobStore`s in this one process,
 * on the private cluster of `scripts/postgres-up`. Prints a Markdown table.
 *
 *   scripts/postgres-up && deno run <ceiling flags> --config deno.json bench/stream_forwarding.ts
 *
 * Figures: items per second of a stream the owner yields as fast as it can (small lines,
 * and 64 kB chunks that travel in pieces); latency from the owner's yield to the
 * requester's consumer, p50/p99, at one item every 5 ms. Both ends share this process's
 * event loop and the machine's cores with the server.
 */
import { NodeChannel, PostgresJobStore } from "../src/host/job_store/postgres/mod.ts";
import { dropSchema, freshSchema, privatePostgres } from "../test/_support/postgres.ts";

const FAST_ITEMS = 2_000;
const BIG_ITEMS = 100;
const BIG_BYTES = 64 * 1024;
const PACED_ITEMS = 1_000;
const PACED_GAP_MS = 5;

type Item = { output: string; outputType: string; at: number };
type Source = (signal: AbortSignal) => AsyncIterable<Item>;

async function* lines(count: number, bytes: number, gapMs = 0): AsyncIterable<Item> {
  const text = "x".repeat(bytes - 1) + "\n";
  for (let i = 0; i < count; i++) {
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    yield { output: text, outputType: "stdout", at: performance.now() };
  }
}

function percentile(times: number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main() {
  const target = await privatePostgres();
  if ("skip" in target) {
    console.log(`Skipped: ${target.skip}`);
    return;
  }
  const schema = freshSchema();
  const open = (nodeId: string) =>
    PostgresJobStore.open({ url: target.url, schema, nodeId, expiryHours: 1 });
  const [a, b] = [await open("node-a"), await open("node-b")];
  let source: Source = () => lines(0, 1);
  const channel = (store: PostgresJobStore) =>
    NodeChannel.open(store.sql, {
      nodeId: store.nodeId,
      channel: store.callChannel,
      handle: () => Promise.resolve({ ok: true, result: null }),
      stream: (_open, signal) => source(signal),
      peerAlive: () => Promise.resolve(true),
    });
  const [owner, reader] = [await channel(a), await channel(b)];
  const read = async (make: Source) => {
    source = make;
    const latencies: number[] = [];
    const start = performance.now();
    let count = 0;
    const request = { job: "1", kind: "output" as const, user: "alice" };
    for await (
      const item of reader.openStream("node-a", request, {
        signal: new AbortController().signal,
        openTimeoutMs: 5_000,
        ownerAlive: () => Promise.resolve(true),
        errorOf: (why) => new Error(`Stream failed: ${JSON.stringify(why)}`),
      })
    ) {
      latencies.push(performance.now() - (item as Item).at);
      count++;
    }
    return { perSecond: count / ((performance.now() - start) / 1000), latencies, count };
  };
  try {
    const fast = await read(() => lines(FAST_ITEMS, 80));
    const big = await read(() => lines(BIG_ITEMS, BIG_BYTES));
    const paced = await read(() => lines(PACED_ITEMS, 80, PACED_GAP_MS));
    const rows = [
      [
        `forwarded 80-byte lines, as fast as the owner yields (${fast.count})`,
        `${fast.perSecond.toFixed(0)} items/s`,
      ],
      [
        `forwarded 64 kB chunks (${big.count}, in pieces of < 7 900 bytes)`,
        `${(big.perSecond * BIG_BYTES / 1e6).toFixed(2)} MB/s`,
      ],
      [
        `owner's yield → requester, one line every ${PACED_GAP_MS} ms, p50 / p99`,
        `${percentile(paced.latencies, 50).toFixed(2)} / ${
          percentile(paced.latencies, 99).toFixed(2)
        } ms`,
      ],
    ];
    console.log("| figure | value |\n| --- | --- |");
    for (const [figure, value] of rows) console.log(`| ${figure} | ${value} |`);
  } finally {
    await owner[Symbol.asyncDispose]();
    await reader[Symbol.asyncDispose]();
    await a.close();
    await b.close();
    await dropSchema(target.url, schema);
  }
}

await main();
