import type { Job } from "../../src/sdk/mod.ts";
import { PostgresJobStore } from "../../src/host/job_store/postgres/mod.ts";
import { dropSchema, freshSchema, privatePostgres } from "../_support/postgres.ts";

const target = await privatePostgres();
const skip = "skip" in target ? target.skip : undefined;
export const META = { instanceKey: "shared", plugin: "local" };

export function draft(fields: Partial<Job> = {}): Omit<Job, "id"> {
  return { user: "alice", status: "Pending", ...fields };
}

/**
 * Two stores ("nodes") on one schema of the private PostgreSQL, the errors their feeds
 * reported, closed and the schema dropped afterwards.
 */
export async function twoNodes() {
  const url = (target as { url: string }).url;
  const schema = freshSchema();
  const errors: unknown[] = [];
  const open = (nodeId: string) =>
    PostgresJobStore.open({
      url,
      schema,
      nodeId,
      expiryHours: 1,
      onListenerError: (error) => errors.push(error),
    });
  const a = await open("node-a");
  const b = await open("node-b");
  return {
    a,
    b,
    url,
    schema,
    errors,
    async [Symbol.asyncDispose]() {
      await a.close();
      await b.close();
      await dropSchema(url, schema);
    },
  };
}

/** A test that is skipped, naming the reason, when no private PostgreSQL answers. */
export function test(name: string, fn: () => Promise<void>) {
  Deno.test({
    name: `${name}${skip ? ` (skipped: ${skip})` : ""}`,
    ignore: skip !== undefined,
    fn,
  });
}
