import type { XmlValue } from "../../protocol/query";
import type { JsonHandler, JsonService, QueryHandler, QueryResult, QueryService } from "../registry";
import { deleteAlarms } from "./delete-alarms";
import { describeAlarms } from "./describe-alarms";
import { getMetricData } from "./get-metric-data";
import { getMetricStatistics } from "./get-metric-statistics";
import { listMetrics } from "./list-metrics";
import { ERROR_NAMESPACE, MODELLED_ERRORS, XML_NAMESPACE, type CloudWatchState } from "./model";
import { putMetricAlarm } from "./put-metric-alarm";
import { putMetricData } from "./put-metric-data";

/**
 * Amazon CloudWatch, signing name `monitoring`, in both protocols over one metric store:
 * - AWS JSON 1.0 with `awsQueryCompatible` (`@aws-sdk/client-cloudwatch` ≥ 3.949, botocore ≥
 *   1.42.7, aws-cli 1.45): `X-Amz-Target: GraniteServiceVersion20100801.<Op>` plus
 *   `x-amzn-query-mode: true`;
 * - the query protocol (older SDKs, Debian's aws-cli 2.9): `Action=<Op>&Version=2010-08-01`
 *   forms in, XML out. The same handlers run: their readers accept the query's strings.
 */
const operations: Record<string, JsonHandler<CloudWatchState>> = {
  DeleteAlarms: deleteAlarms,
  DescribeAlarms: describeAlarms,
  GetMetricData: getMetricData,
  GetMetricStatistics: getMetricStatistics,
  ListMetrics: listMetrics,
  PutMetricAlarm: putMetricAlarm,
  PutMetricData: putMetricData,
};

export const cloudWatchService: JsonService<CloudWatchState> = {
  protocol: "json",
  jsonVersion: "1.0",
  targets: [
    { prefix: "GraniteServiceVersion20100801", signingName: "monitoring" },
    { prefix: "com.amazonaws.cloudwatch.GraniteServiceVersion20100801", signingName: "monitoring" },
  ],
  signingNames: ["monitoring"],
  operations,
  queryCompatible: { errorNamespace: ERROR_NAMESPACE, modelledErrors: MODELLED_ERRORS },
};

export const cloudWatchQueryService: QueryService<CloudWatchState> = {
  protocol: "query",
  signingName: "monitoring",
  xmlNamespace: XML_NAMESPACE,
  operations: Object.fromEntries(Object.entries(operations).map(([name, handler]) => [name, asQuery(handler)])),
};

function asQuery(handler: JsonHandler<CloudWatchState>): QueryHandler<CloudWatchState> {
  return async (params, ctx) => toXmlResult((await handler(params as Record<string, unknown>, ctx)) as Record<string, unknown>);
}

/** JSON output → XML members: `ExtendedStatistics` maps become `<entry><key/><value/></entry>`. */
function toXmlResult(output: Record<string, unknown>): QueryResult {
  const convert = (value: unknown, key?: string): XmlValue | undefined => {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value.map((v) => convert(v) ?? "");
    if (value instanceof Date) return value;
    if (typeof value === "object") {
      const entries = Object.entries(value as Record<string, unknown>);
      if (key === "ExtendedStatistics") return new Map(entries.map(([k, v]) => [k, convert(v) ?? ""]));
      const out: Record<string, XmlValue | undefined> = {};
      for (const [k, v] of entries) out[k] = convert(v, k);
      return out;
    }
    return value as string | number | boolean;
  };
  return convert(output) as QueryResult;
}
