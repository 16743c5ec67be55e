import { type Figure, median, requireBuilt } from "./figure.ts";
import { denoRun, hostCommand, ROOT } from "./host.ts";

const BUNDLES = `${ROOT}bench/fixtures/bundles`;

/**
 * Airflow: spawn → terminal message for an empty task (median of 10), and request round
 * trips. The supervisor side is the test suite's supervisor, written from the coordinator
 * spec; it is imported only when the coordinator exists.
 */
export async function airflowRuntime(): Promise<Figure[]> {
  requireBuilt("Airflow coordinator mode", [
    `${ROOT}src/airflow/coordinator.ts`,
    `${ROOT}test/airflow/_supervisor.ts`,
    `${ROOT}test/airflow/_startup.ts`,
  ]);
  const { startupDetails } = await import("../../test/airflow/_startup.ts");
  const { supervise } = await import("../../test/airflow/_supervisor.ts");
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-bench-" });
  const { command, args } = hostCommand([`--plugins-dir=${BUNDLES}`, `--scratch-path=${scratch}`]);
  try {
    const latencies: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < 10; i++) {
      floor.push(await workerFloor());
      const result = await supervise({
        command: [command, ...args],
        startup: startupDetails({ dagId: "bench", taskId: "empty" }),
      });
      if (result.finalState !== "success" || result.terminalAfterMs === undefined) {
        throw new Error(`Empty task ended ${result.finalState}: ${result.violations.join("; ")}`);
      }
      latencies.push(result.terminalAfterMs);
    }
    const trips = await supervise({
      command: [command, ...args],
      startup: startupDetails({ dagId: "bench", taskId: "roundtrips" }),
      store: { variables: { bench_key: "v" } },
    });
    const timing = trips.requests.find((r) => r.type === "SetXCom")?.value as {
      ms: number;
      count: number;
    } | undefined;
    return [
      {
        name: "Airflow spawn → terminal message, empty task",
        value: median(latencies),
        unit: "ms",
        budget: { op: "<=", value: 90 },
      },
      {
        name: "bare `deno run` that starts one Worker and exits, same flags, same run",
        value: median(floor),
        unit: "ms",
        note: "spawn → exit: the floor of a task runtime that runs tasks in a Worker",
      },
      {
        name: "Airflow GetVariable round trips from a task",
        value: timing ? Math.round(timing.count / (timing.ms / 1000)) : undefined,
        unit: "/s",
        note: "sequential, through the task Worker and the comm socket",
      },
    ];
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}

async function workerFloor(): Promise<number> {
  const { command, args } = denoRun(`${ROOT}bench/fixtures/worker_floor.ts`, []);
  const started = performance.now();
  const status = await new Deno.Command(command, { args, stdout: "null", stderr: "null" })
    .output();
  if (!status.success) throw new Error(`deno run of the Worker floor exited ${status.code}`);
  return performance.now() - started;
}
