import { PostgresJobStore } from "../../src/host/job_store/postgres/mod.ts";
import { dropSchema, freshSchema, privatePostgres } from "../_support/postgres.ts";
import { fakeClock, storeContract } from "./_contract.ts";

const target = await privatePostgres();
const skip = "skip" in target ? target.skip : undefined;

storeContract("PostgresJobStore", skip, async (expiryHours) => {
  const url = (target as { url: string }).url;
  const clock = fakeClock();
  const errors: unknown[] = [];
  const schema = freshSchema();
  const store = await PostgresJobStore.open({
    url,
    schema,
    nodeId: "node-a",
    expiryHours,
    clock,
    onListenerError: (error) => errors.push(error),
  });
  return {
    store,
    errors,
    advance: clock.advance,
    async [Symbol.asyncDispose]() {
      await store.close();
      await dropSchema(url, schema);
    },
  };
});
