/**
 * Example task bundle for Apache Airflow. The matching Python DAG:
 *
 * ```python
 * @dag(schedule=None)
 * def sales_pipeline():
 *     @task.stub(queue="launchbox")
 *     def extract(): ...
 *     @task.stub(queue="launchbox")
 *     def transform(): ...
 *     @task.stub(queue="launchbox")
 *     def load(): ...
 *     extract() >> transform() >> load()
 * ```
 *
 * @module
 */
import { defineBundle, type JsonValue, type TaskContext } from "@launchbox/sdk/airflow";

interface Sale {
  region: string;
  amount: number;
}

async function extract({ client, log, params }: TaskContext): Promise<JsonValue> {
  const region = String(params.region ?? (await client.getVariable("sales_region")) ?? "emea");
  const sales: Sale[] = [1, 2, 3].map((n) => ({ region, amount: n * 100 }));
  log.info(`Extracted ${sales.length} sales`, { region });
  return sales as unknown as JsonValue;
}

async function transform({ client, log }: TaskContext): Promise<JsonValue> {
  const sales = (await client.pullXCom({ taskId: "extract" })) as Sale[] | undefined;
  if (!sales) throw new Error("extract left no sales in XCom");
  const total = sales.reduce((sum, sale) => sum + sale.amount, 0);
  log.info(`Total ${total}`);
  return { total, count: sales.length };
}

async function load({ client, log }: TaskContext): Promise<void> {
  const warehouse = await client.getConnection("warehouse");
  if (!warehouse) throw new Error('Connection "warehouse" is not defined in Airflow');
  const summary = await client.pullXCom({ taskId: "transform" });
  log.info(`Loading into ${warehouse.connType}://${warehouse.host}/${warehouse.schema ?? ""}`);
  await client.pushXCom("loaded", { into: warehouse.host ?? "", summary: summary ?? null });
  await client.putVariable("sales_last_loaded", new Date().toISOString(), {
    description: "Set by load",
  });
}

export default defineBundle({
  dags: {
    sales_pipeline: {
      tasks: {
        extract,
        transform,
        load,
        weekend_only: (ctx) => {
          const day = (ctx.logicalDate ?? new Date()).getUTCDay();
          if (day !== 0 && day !== 6) ctx.skip("Not a weekend");
          return "weekend work done";
        },
      },
    },
    maintenance: {
      tasks: {
        noop: () => undefined,
        fail: () => {
          throw new Error("failing on purpose");
        },
      },
    },
  },
});
