import { createHash } from "node:crypto";
import type { JsonHandler } from "../registry";
import {
  checkPeriod,
  checkStat,
  cloudWatchError,
  combination,
  decodeToken,
  encodeToken,
  HIGH_RES_RETENTION_MS,
  invalidValue,
  readMetric,
  Reader,
  scopeOf,
  STANDARD_UNITS,
  type CloudWatchState,
} from "./model";
import { buckets, parsePercentile, roundStartTime, statistic, type Dimension, type MetricStore } from "./store";

export const MAX_QUERIES = 500;
export const DEFAULT_MAX_DATAPOINTS = 100_800;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

interface MetricQuery {
  id: string;
  label: string;
  returnData: boolean;
  metric: { namespace: string; metricName: string; dimensions: Dimension[] };
  period: number;
  stat: string;
  unit?: string;
}

interface Series {
  id: string;
  label: string;
  points: [number, number][];
}

/**
 * GetMetricData over MetricStat queries (Expression is refused). Each query's periods start at
 * the rounded StartTime (`roundStartTime`), EndTime is exclusive, only non-empty periods are
 * returned; a percentile is absent for periods that cannot have one (store.ts). Pages
 * hold at most MaxDatapoints values across all queries, in query order; NextToken resumes.
 */
export const getMetricData: JsonHandler<CloudWatchState> = (input, ctx) => {
  const r = new Reader(input);
  const items = r.list("MetricDataQueries", { required: true, max: MAX_QUERIES }) ?? [];
  if (items.length === 0) throw invalidValue("The collection MetricDataQueries must not be empty.");
  const startMs = r.timestamp("StartTime", { required: true }) ?? 0;
  const endMs = r.timestamp("EndTime", { required: true }) ?? 0;
  if (startMs >= endMs) throw invalidValue("The parameter StartTime must be less than the parameter EndTime.");
  const scanBy = r.enumValue("ScanBy", ["TimestampDescending", "TimestampAscending"]) ?? "TimestampDescending";
  const maxDatapoints = r.integer("MaxDatapoints", { min: 1 }) ?? DEFAULT_MAX_DATAPOINTS;
  const labelOptions = r.struct("LabelOptions");
  const timezone = labelOptions?.string("Timezone");
  if (timezone !== undefined && !/^[+-]\d{4}$/.test(timezone)) {
    throw invalidValue(`The value ${timezone} for parameter LabelOptions.Timezone is invalid: use +HHMM or -HHMM.`);
  }
  const nextToken = r.string("NextToken");
  const now = ctx.now.getTime();

  const seen = new Set<string>();
  const queries = items.map((item, i) => {
    const q = r.item("MetricDataQueries", i, item);
    const id = q.string("Id", { required: true, min: 1, max: 255 }) ?? "";
    if (!ID.test(id)) {
      throw invalidValue(
        `The value ${id} for parameter ${q.path("Id")} is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
      );
    }
    if (seen.has(id)) throw invalidValue(`The value ${id} for parameter ${q.path("Id")} is not unique.`);
    seen.add(id);
    const hasStat = q.has("MetricStat");
    const hasExpression = q.has("Expression");
    if (hasStat === hasExpression) {
      throw combination(`Exactly one of ${q.path("MetricStat")} or ${q.path("Expression")} must be specified.`);
    }
    if (hasExpression) {
      q.string("Expression", { min: 1, max: 2048 });
      throw invalidValue(`${q.path("Expression")}: Expression is not supported by this emulator; use MetricStat.`);
    }
    const accountId = q.string("AccountId");
    if (accountId !== undefined && accountId !== ctx.account) {
      throw invalidValue(`${q.path("AccountId")}: cross-account queries are not supported by this emulator.`);
    }
    const label = q.string("Label");
    const returnData = q.boolean("ReturnData") ?? true;
    q.integer("Period", { min: 1 });
    const s = q.struct("MetricStat", { required: true }) as Reader;
    const metric = readMetric(s.struct("Metric", { required: true }) as Reader);
    const period = s.integer("Period", { required: true }) ?? 60;
    const stat = s.string("Stat", { required: true }) ?? "";
    checkStat(stat, s.path("Stat"), (x) => parsePercentile(x) !== undefined);
    const unit = s.enumValue("Unit", STANDARD_UNITS);
    return { id, label: label ?? metric.metricName, returnData, metric, period, stat, ...(unit ? { unit } : {}) } satisfies MetricQuery;
  });
  const periodsOk = queries.map((q, i) => checkPeriod(q.period, `MetricDataQueries.member.${i + 1}.MetricStat.Period`, startMs, now));

  const fingerprint = createHash("sha256")
    .update(JSON.stringify([queries, startMs, endMs, scanBy]))
    .digest("base64url")
    .slice(0, 16);
  let position = { query: 0, offset: 0 };
  if (nextToken !== undefined) {
    const t = decodeToken(nextToken);
    if (t?.k !== "gmd" || t.f !== fingerprint || typeof t.q !== "number" || typeof t.o !== "number" || t.q < 0 || t.o < 0) {
      throw cloudWatchError("InvalidNextToken", "The service couldn't process the NextToken: it was not returned by a GetMetricData call with these parameters.");
    }
    position = { query: t.q, offset: t.o };
  }

  const scope = scopeOf(ctx);
  const returned: Series[] = [];
  queries.forEach((q, i) => {
    if (!q.returnData) return;
    returned.push({ id: q.id, label: q.label, points: periodsOk[i] ? seriesOf(ctx.state.metrics, scope, q, startMs, endMs, now) : [] });
  });
  for (const s of returned) if (scanBy === "TimestampDescending") s.points.reverse();

  // One page: up to maxDatapoints points, query after query, from the token's position.
  let budget = maxDatapoints;
  let next: { query: number; offset: number } | undefined;
  const results = returned.map((s, i) => {
    const from = i < position.query ? s.points.length : i === position.query ? Math.min(position.offset, s.points.length) : 0;
    let points: [number, number][] = [];
    if (!next) {
      points = s.points.slice(from, from + budget);
      budget -= points.length;
      if (from + points.length < s.points.length) next = { query: i, offset: from + points.length };
    }
    return {
      Id: s.id,
      Label: s.label,
      Timestamps: points.map(([t]) => new Date(t)),
      Values: points.map(([, v]) => v),
      StatusCode: from + points.length >= s.points.length ? "Complete" : "PartialData",
      Messages: [],
    };
  });
  return {
    MetricDataResults: results,
    ...(next ? { NextToken: encodeToken({ k: "gmd", f: fingerprint, q: next.query, o: next.offset }) } : {}),
    Messages: [],
  };
};

/** [period start ms, value] ascending for one MetricStat query. */
export function seriesOf(
  store: MetricStore,
  scope: string,
  q: { metric: { namespace: string; metricName: string; dimensions: Dimension[] }; period: number; stat: string; unit?: string },
  startMs: number,
  endMs: number,
  now: number,
): [number, number][] {
  const series = store.get(scope, q.metric);
  if (!series) return [];
  let from = roundStartTime(startMs, q.period, now);
  const periodMs = q.period * 1000;
  if (q.period < 60) {
    // High-resolution periods see only the last 3 hours; skip whole periods before that.
    const oldest = now - HIGH_RES_RETENTION_MS;
    if (from < oldest) from += Math.ceil((oldest - from) / periodMs) * periodMs;
  }
  const out: [number, number][] = [];
  for (const b of buckets(series.observations, from, endMs, periodMs, q.unit)) {
    const v = statistic(b.aggregate, q.stat);
    if (v !== undefined) out.push([b.start, v]);
  }
  return out;
}
