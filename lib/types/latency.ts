/** Push-to-pipeline-start latency: chart points, missed triggers, pipeline starts. */

/** One period of a latency chart, as read from CloudWatch (latencies in milliseconds). */
export interface LatencyPoint {
  t: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  samples: number | null;
  missed: number | null;
}

/** A push judged missed (or "unknown": its filters could not be evaluated), with its pipeline. */
export interface MissedTriggerRow {
  pushId: number;
  state: "missed" | "unknown";
  reason: string;
  detectedAt: string;
  account: string;
  region: string;
  pipeline: string;
  push: { repository: string; branch: string; sha: string; pushedAt: string; provider: string; deliveryId: string };
}

export interface StartEvent {
  account: string;
  region: string;
  pipeline: string;
  executionId: string;
  triggerType: string | null;
  triggerDetail: string | null;
  startTime: string;
}

/** One GetMetricData query as Tether builds it (in the shape CloudWatch takes, so lib/aws passes it on). */
export interface MetricQuery {
  Id: string;
  Label?: string;
  MetricStat: { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] }; Period: number; Stat: string };
}
