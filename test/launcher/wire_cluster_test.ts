import assert from "node:assert/strict";
import { jobRequest, submit, userRequest, waitForStatus } from "../_support/requests.ts";
import { withHost } from "../_support/host_process.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "GetJobNetwork, GetClusterInfo, SetLoadBalancerNodes and ConfigReload answer exactly",
  opts,
  async () => {
    await withHost({}, async ({ client }) => {
      await client.bootstrap();
      const id = String((await submit(client, "alice", { tags: ["long-running"] })).id);
      await waitForStatus(client, "alice", id, "Running");
      const network = await client.request(jobRequest(client, 8, "alice", id));
      assert.deepEqual(Object.keys(network).sort(), [
        "host",
        "ipAddresses",
        "messageType",
        "requestId",
        "responseId",
      ]);
      assert.equal(network.messageType, 7);
      const info = await client.request(userRequest(client, 9, "alice"));
      assert.equal(info.messageType, 8);
      for (
        const key of [
          "supportsContainers",
          "config",
          "placementConstraints",
          "resourceLimits",
          "allowUnknownImages",
          "resourceProfiles",
          "containersUseHostNetwork",
        ]
      ) {
        assert.ok(key in info, `ClusterInfo lacks ${key}`);
      }
      assert.deepEqual(info.queues, ["default", "high-priority", "batch"]);
      assert.equal(info.defaultQueue, "default");
      const nodes = await client.request({
        messageType: 201,
        requestId: client.nextRequestId(),
        nodes: [{ host: "launcher-2", ipv4: "127.0.0.2", port: "5559", status: "Online" }],
      });
      assert.deepEqual(Object.keys(nodes).sort(), ["messageType", "requestId", "responseId"]);
      assert.equal(nodes.messageType, 201);
      const reload = await client.request(userRequest(client, 202, "*"));
      assert.equal(reload.messageType, 202);
      assert.equal(reload.errorType, 0);
      assert.equal(reload.errorMessage, "");
    });
  },
);
