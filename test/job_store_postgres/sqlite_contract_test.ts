import { JobStore } from "../../src/host/job_store/mod.ts";
import { asyncJobStore } from "../../src/host/job_store/store_interface.ts";
import { fakeClock, storeContract } from "./_contract.ts";

// The contract is the SQLite store's behaviour: it must hold for it through the adapter too.
storeContract("SQLite JobStore via asyncJobStore", undefined, (expiryHours) => {
  const clock = fakeClock();
  const errors: unknown[] = [];
  const sync = JobStore.open(":memory:", {
    expiryHours,
    clock,
    onListenerError: (error) => errors.push(error),
  });
  const store = asyncJobStore(sync);
  return Promise.resolve({
    store,
    errors,
    advance: clock.advance,
    [Symbol.asyncDispose]: () => store.close(),
  });
});
