import assert from "node:assert/strict";
import { CapturingLogger } from "./capturing_logger.ts";

Deno.test("CapturingLogger keeps lines of child loggers in one list, fields merged", () => {
  const log = new CapturingLogger();
  const child = log.with({ plugin: "demo", job: "1" });
  child.with({ job: "2" }).error("Cannot start job", { code: 9 });
  log.debug("Tick");
  assert.deepEqual(log.records, [
    { level: "error", message: "Cannot start job", fields: { plugin: "demo", job: "2", code: 9 } },
    { level: "debug", message: "Tick", fields: {} },
  ]);
  assert.equal(child.records, log.records);
});
