import "server-only";
import { PutMetricDataCommand, paginateGetMetricData, type CloudWatchClient, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import type { MetricQuery, Scope } from "@/lib/types";
import { toAppError } from "./errors";

const where = (scope: Scope) => `${scope.account}/${scope.region}`;

/** A datum as Tether builds it (lib/latency/batch.ts); the unit is a CloudWatch StandardUnit name. */
export interface TetherDatum {
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
  Timestamp: Date;
  Values: number[];
  Counts: number[];
  Unit: string;
}

export async function putMetricData(client: CloudWatchClient, scope: Scope, namespace: string, data: TetherDatum[]): Promise<void> {
  try {
    await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data as MetricDatum[] }));
  } catch (e) {
    throw toAppError(e, `publishing metrics to ${where(scope)}`);
  }
}

export interface MetricSeries {
  id: string;
  timestamps: number[];
  values: number[];
  status: string;
}

/** One GetMetricData call per page (≤ 500 queries a call; the caller splits), all pages read. */
export async function getMetricData(client: CloudWatchClient, scope: Scope, queries: MetricQuery[], start: Date, end: Date): Promise<{ series: MetricSeries[]; calls: number }> {
  const byId = new Map<string, MetricSeries>();
  let calls = 0;
  try {
    for await (const out of paginateGetMetricData({ client }, { MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: "TimestampAscending" })) {
      calls++;
      for (const r of out.MetricDataResults ?? []) {
        const id = r.Id ?? "";
        const s = byId.get(id) ?? { id, timestamps: [], values: [], status: r.StatusCode ?? "Complete" };
        (r.Timestamps ?? []).forEach((t, i) => {
          s.timestamps.push(t.getTime());
          s.values.push(r.Values?.[i] ?? Number.NaN);
        });
        s.status = r.StatusCode ?? s.status;
        byId.set(id, s);
      }
    }
  } catch (e) {
    throw toAppError(e, `reading metrics in ${where(scope)}`);
  }
  return { series: [...byId.values()], calls };
}
