import type { JsonHandler } from "../registry";
import { checkPeriod, cloudWatchError, combination, HIGH_RES_RETENTION_MS, invalidValue, Reader, readMetric, scopeOf, STANDARD_UNITS, type CloudWatchState } from "./model";
import { buckets, parsePercentile, roundStartTime, SIMPLE_STATISTICS, statistic, type SimpleStatistic } from "./store";

export const MAX_DATAPOINTS = 1440;

/**
 * GetMetricStatistics: one metric (exactly these dimensions), its periods from the rounded
 * StartTime to EndTime (exclusive), ascending (AWS does not promise an order). Each datapoint
 * carries the asked Statistics, the ExtendedStatistics the period can give, and the data's Unit;
 * a period with none of the asked values is left out.
 */
export const getMetricStatistics: JsonHandler<CloudWatchState> = (input, ctx) => {
  const r = new Reader(input);
  const metric = readMetric(r);
  const startMs = r.timestamp("StartTime", { required: true }) ?? 0;
  const endMs = r.timestamp("EndTime", { required: true }) ?? 0;
  const period = r.integer("Period", { required: true }) ?? 60;
  const statistics = (r.list("Statistics", { max: 5 }) ?? []).map((v, i) => {
    const s = typeof v === "string" ? v : JSON.stringify(v);
    if (!(SIMPLE_STATISTICS as readonly string[]).includes(s)) {
      throw invalidValue(`The value ${s} for parameter Statistics.member.${i + 1} is invalid. Valid values: ${SIMPLE_STATISTICS.join(", ")}.`);
    }
    return s as SimpleStatistic;
  });
  const extended = (r.list("ExtendedStatistics", { max: 10 }) ?? []).map((v, i) => {
    const s = typeof v === "string" ? v : JSON.stringify(v);
    if (parsePercentile(s) === undefined) {
      throw invalidValue(
        `The value ${s} for parameter ExtendedStatistics.member.${i + 1} is not supported by this emulator: use a percentile p0–p100 (up to two decimals).`,
      );
    }
    return s;
  });
  const unit = r.enumValue("Unit", STANDARD_UNITS);
  if (statistics.length === 0 && extended.length === 0) {
    throw cloudWatchError("MissingRequiredParameterException", "At least one of the parameters Statistics and ExtendedStatistics must be specified.");
  }
  if (startMs >= endMs) throw invalidValue("The parameter StartTime must be less than the parameter EndTime.");
  const now = ctx.now.getTime();
  const periodOk = checkPeriod(period, "Period", startMs, now);
  const periodMs = period * 1000;
  let from = roundStartTime(startMs, period, now);
  const requested = Math.ceil((endMs - from) / periodMs);
  if (requested > MAX_DATAPOINTS) {
    throw combination(
      `You have requested up to ${requested.toLocaleString("en-US")} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  if (period < 60) {
    const oldest = now - HIGH_RES_RETENTION_MS;
    if (from < oldest) from += Math.ceil((oldest - from) / periodMs) * periodMs;
  }
  const series = periodOk ? ctx.state.metrics.get(scopeOf(ctx), metric) : undefined;
  const datapoints = [];
  for (const b of series ? buckets(series.observations, from, endMs, periodMs, unit) : []) {
    const point: Record<string, unknown> = { Timestamp: new Date(b.start) };
    for (const s of statistics) point[s] = statistic(b.aggregate, s);
    const ext: Record<string, number> = {};
    for (const p of extended) {
      const v = statistic(b.aggregate, p);
      if (v !== undefined) ext[p] = v;
    }
    if (statistics.length === 0 && Object.keys(ext).length === 0) continue;
    if (Object.keys(ext).length) point.ExtendedStatistics = ext;
    point.Unit = unit ?? b.aggregate.unit;
    datapoints.push(point);
  }
  return { Label: metric.metricName, Datapoints: datapoints };
};
