import type { JsonHandler } from "../registry";
import { MAX_ALARMS_PER_SCOPE, type StoredAlarm } from "./alarm-store";
import { checkStat, cloudWatchError, combination, invalidValue, missing, readDimensions, Reader, readNamespace, scopeOf, STANDARD_UNITS, type CloudWatchState } from "./model";

export const COMPARISON_OPERATORS = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
  "LessThanLowerOrGreaterThanUpperThreshold",
  "LessThanLowerThreshold",
  "GreaterThanUpperThreshold",
] as const;
const ANOMALY_OPERATORS = ["LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"];
const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] as const;
const TREAT_MISSING = ["breaching", "notBreaching", "ignore", "missing"] as const;
const ID = /^[a-z][a-zA-Z0-9_]*$/;
/** An alarm evaluates at most seven days of periods. */
const MAX_EVALUATION_SECONDS = 7 * 86_400;
const MAX_ACTIONS = 5;

const percentile = (s: string) => /^p(\d{1,2}(\.\d{1,2})?|100)$/.test(s);

function readActions(r: Reader, name: string): string[] {
  const items = r.list(name, { max: MAX_ACTIONS }) ?? [];
  return items.map((v, i) => {
    const path = `${r.path(name)}.member.${i + 1}`;
    if (typeof v !== "string" || v.length < 1 || v.length > 1024) throw invalidValue(`The value ${JSON.stringify(v)} for parameter ${path} is invalid.`);
    if (!/^arn:aws[a-z-]*:[a-z0-9-]+:/.test(v)) throw invalidValue(`Invalid arn syntax: ${v}`);
    return v;
  });
}

/** Metrics: metric-math queries, each a MetricStat or an Expression, exactly one returning data. */
function readQueries(r: Reader): Record<string, unknown>[] | undefined {
  const items = r.list("Metrics", { max: 20 });
  if (items === undefined) return undefined;
  if (items.length === 0) throw invalidValue("The collection Metrics must not be empty.");
  const seen = new Set<string>();
  let returning = 0;
  const out = items.map((item, i) => {
    const q = r.item("Metrics", i, item);
    const id = q.string("Id", { required: true, min: 1, max: 255 }) ?? "";
    if (!ID.test(id)) throw invalidValue(`The value ${id} for parameter ${q.path("Id")} is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (seen.has(id)) throw invalidValue(`The value ${id} for parameter ${q.path("Id")} is not unique.`);
    seen.add(id);
    const stat = q.struct("MetricStat");
    const expression = q.string("Expression", { min: 1, max: 2048 });
    if ((stat === undefined) === (expression === undefined)) throw combination(`Exactly one of MetricStat and Expression must be specified for ${q.path("Id")} ${id}.`);
    const returnData = q.boolean("ReturnData") ?? true;
    if (returnData) returning++;
    const query: Record<string, unknown> = { Id: id, ReturnData: returnData };
    const label = q.string("Label");
    if (label !== undefined) query.Label = label;
    const period = q.integer("Period", { min: 1 });
    if (period !== undefined) query.Period = period;
    if (expression !== undefined) query.Expression = expression;
    if (stat) {
      const m = stat.struct("Metric", { required: true }) as Reader;
      const namespace = readNamespace(m, { required: true }) as string;
      const metricName = m.string("MetricName", { required: true, min: 1, max: 255 }) as string;
      const dims = readDimensions(m, { max: 30 });
      const statPeriod = stat.integer("Period", { required: true, min: 1 }) as number;
      if (statPeriod % 60 !== 0 && ![10, 20, 30].includes(statPeriod)) throw invalidValue(`The parameter ${stat.path("Period")} must be 10, 20, 30 or a multiple of 60.`);
      const s = stat.string("Stat", { required: true }) as string;
      checkStat(s, stat.path("Stat"), percentile);
      const unit = stat.enumValue("Unit", STANDARD_UNITS);
      query.MetricStat = { Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dims }, Period: statPeriod, Stat: s, ...(unit ? { Unit: unit } : {}) };
    }
    return query;
  });
  if (returning !== 1) throw invalidValue("Exactly one element of the Metrics list must return data (ReturnData true).");
  return out;
}

/**
 * PutMetricAlarm: creates or replaces (same name: the configuration is overwritten, the state
 * kept) a metric alarm in the caller's scope. The alarm watches either one metric (MetricName,
 * Namespace, Statistic or ExtendedStatistic, Period) or metric math (Metrics), never both; a
 * Threshold unless an anomaly-detection band (ThresholdMetricId with its operators) is compared.
 */
export const putMetricAlarm: JsonHandler<CloudWatchState> = (input, ctx) => {
  const r = new Reader(input);
  const name = r.string("AlarmName", { required: true, min: 1, max: 255 }) as string;
  const description = r.string("AlarmDescription", { max: 1024 });
  const actionsEnabled = r.boolean("ActionsEnabled") ?? true;
  const okActions = readActions(r, "OKActions");
  const alarmActions = readActions(r, "AlarmActions");
  const insufficientActions = readActions(r, "InsufficientDataActions");
  const metricName = r.string("MetricName", { min: 1, max: 255 });
  const namespace = readNamespace(r, { required: false });
  const statistic = r.enumValue("Statistic", STATISTICS);
  const extended = r.string("ExtendedStatistic");
  const dimensions = readDimensions(r, { max: 30 });
  const period = r.integer("Period", { min: 1 });
  const unit = r.enumValue("Unit", STANDARD_UNITS);
  const evaluationPeriods = r.integer("EvaluationPeriods", { required: true, min: 1 }) as number;
  const datapointsToAlarm = r.integer("DatapointsToAlarm", { min: 1 });
  const threshold = r.number("Threshold");
  const operator = r.enumValue("ComparisonOperator", COMPARISON_OPERATORS, { required: true }) as string;
  const treatMissing = r.enumValue("TreatMissingData", TREAT_MISSING);
  const lowSample = r.enumValue("EvaluateLowSampleCountPercentile", ["evaluate", "ignore"]);
  const thresholdMetricId = r.string("ThresholdMetricId", { min: 1, max: 255 });
  const metrics = readQueries(r);
  r.list("Tags", { max: 50 });

  if (metricName !== undefined && metrics !== undefined) throw combination("The parameters MetricName and Metrics are mutually exclusive and you have specified both.");
  if (metricName === undefined && metrics === undefined) throw missing("MetricName");
  if (metricName !== undefined) {
    if (namespace === undefined) throw missing("Namespace");
    if (period === undefined) throw missing("Period");
    if ((statistic === undefined) === (extended === undefined)) throw combination("Exactly one of Statistic or ExtendedStatistic must be specified.");
    if (extended !== undefined && !percentile(extended)) throw invalidValue(`The value ${extended} for parameter ExtendedStatistic is invalid.`);
  } else if (namespace !== undefined || statistic !== undefined || extended !== undefined || period !== undefined || dimensions.length > 0 || unit !== undefined) {
    throw combination("The parameters Namespace, Statistic, ExtendedStatistic, Dimensions, Period and Unit cannot be specified with Metrics.");
  }
  if (period !== undefined) {
    if (period % 60 !== 0 && ![10, 20, 30].includes(period)) throw invalidValue("The parameter Period must be 10, 20, 30 or a multiple of 60.");
    if (period * evaluationPeriods > MAX_EVALUATION_SECONDS) throw invalidValue("The product of the parameters Period and EvaluationPeriods must not be greater than 604800 (7 days).");
  }
  if (datapointsToAlarm !== undefined && datapointsToAlarm > evaluationPeriods) throw invalidValue("The parameter DatapointsToAlarm must be less than or equal to the parameter EvaluationPeriods.");
  const anomaly = ANOMALY_OPERATORS.includes(operator);
  if (anomaly) {
    if (thresholdMetricId === undefined) throw missing("ThresholdMetricId");
    if (!metrics?.some((q) => q.Id === thresholdMetricId)) throw invalidValue(`The value ${thresholdMetricId} for parameter ThresholdMetricId does not match the Id of any element of Metrics.`);
    if (threshold !== undefined) throw combination("The parameters Threshold and ThresholdMetricId are mutually exclusive.");
  } else {
    if (thresholdMetricId !== undefined) throw combination(`The parameter ThresholdMetricId can only be used with the ComparisonOperators ${ANOMALY_OPERATORS.join(", ")}.`);
    if (threshold === undefined) throw missing("Threshold");
  }

  const scope = scopeOf(ctx);
  const before = ctx.state.alarms.get(scope, name);
  if (!before && ctx.state.alarms.count(scope) >= MAX_ALARMS_PER_SCOPE) throw cloudWatchError("LimitExceededFault", `The maximum number of alarms (${MAX_ALARMS_PER_SCOPE}) has been reached.`);
  const now = ctx.now;
  const alarm: StoredAlarm = {
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:${ctx.region}:${ctx.account}:alarm:${name}`,
    ...(description !== undefined ? { AlarmDescription: description } : {}),
    AlarmConfigurationUpdatedTimestamp: now,
    ActionsEnabled: actionsEnabled,
    OKActions: okActions,
    AlarmActions: alarmActions,
    InsufficientDataActions: insufficientActions,
    StateValue: before?.StateValue ?? "INSUFFICIENT_DATA",
    StateReason: before?.StateReason ?? "Unchecked: Initial alarm creation",
    StateUpdatedTimestamp: before?.StateUpdatedTimestamp ?? now,
    StateTransitionedTimestamp: before?.StateTransitionedTimestamp ?? now,
    ...(metricName !== undefined ? { MetricName: metricName, Namespace: namespace } : {}),
    ...(statistic !== undefined ? { Statistic: statistic } : {}),
    ...(extended !== undefined ? { ExtendedStatistic: extended } : {}),
    Dimensions: dimensions as StoredAlarm["Dimensions"],
    ...(period !== undefined ? { Period: period } : {}),
    ...(unit !== undefined ? { Unit: unit } : {}),
    EvaluationPeriods: evaluationPeriods,
    ...(datapointsToAlarm !== undefined ? { DatapointsToAlarm: datapointsToAlarm } : {}),
    ...(threshold !== undefined ? { Threshold: threshold } : {}),
    ComparisonOperator: operator,
    ...(treatMissing !== undefined ? { TreatMissingData: treatMissing } : {}),
    ...(lowSample !== undefined ? { EvaluateLowSampleCountPercentile: lowSample } : {}),
    ...(metrics !== undefined ? { Metrics: metrics } : {}),
    ...(thresholdMetricId !== undefined ? { ThresholdMetricId: thresholdMetricId } : {}),
  };
  ctx.state.alarms.put(scope, alarm);
  return {};
};
