import type { JsonHandler } from "../registry";
import { checkValue, combination, invalidValue, missing, readDimensions, Reader, readNamespace, scopeOf, STANDARD_UNITS, toNumber, type CloudWatchState } from "./model";
import { truncateTimestamp, type MetricId, type Observation } from "./store";

/** PutMetricData limits (operation doc): 1 MB a request (as sent; gzip allowed), 1,000 datums. */
export const MAX_REQUEST_BYTES = 1_048_576;
export const MAX_DATUMS = 1000;
export const MAX_VALUES = 150;
const TWO_WEEKS_MS = 14 * 86_400_000;
const TWO_HOURS_MS = 2 * 3_600_000;

/**
 * Validates the whole request first (the first problem fails it and nothing is stored), then
 * stores every datum's raw values (or statistic set) under the caller's scope.
 */
export const putMetricData: JsonHandler<CloudWatchState> = (input, ctx) => {
  if (ctx.wireBytes > MAX_REQUEST_BYTES) {
    throw invalidValue(`The request size ${ctx.wireBytes} bytes exceeds the PutMetricData limit of ${MAX_REQUEST_BYTES} bytes.`);
  }
  const r = new Reader(input);
  const namespace = readNamespace(r, { required: true, forPut: true }) ?? "";
  const metricData = r.list("MetricData") ?? [];
  // EntityMetricData: its datums are stored like MetricData (the entity itself is ignored).
  const entityData = r.list("EntityMetricData") ?? [];
  if (!r.has("MetricData") && !r.has("EntityMetricData")) throw missing("MetricData");
  const datums: { value: unknown; path: string }[] = metricData.map((value, i) => ({ value, path: `MetricData.member.${i + 1}` }));
  entityData.forEach((entity, i) => {
    const e = Reader.of(entity, `EntityMetricData.member.${i + 1}`);
    (e.list("MetricData") ?? []).forEach((value, j) => datums.push({ value, path: `${e.path("MetricData")}.member.${j + 1}` }));
  });
  if (datums.length > MAX_DATUMS) {
    throw invalidValue(`The collection MetricData must not have a size greater than ${MAX_DATUMS}.`);
  }
  const now = ctx.now.getTime();
  const parsed = datums.map(({ value, path }) => readDatum(Reader.of(value, path), namespace, now));
  const scope = scopeOf(ctx);
  for (const d of parsed) ctx.state.metrics.put(scope, d.id, d.observation, now);
  return {};
};

function readDatum(d: Reader, namespace: string, now: number): { id: MetricId; observation: Observation } {
  const metricName = d.string("MetricName", { required: true, min: 1, max: 255 }) ?? "";
  const dimensions = readDimensions(d, { max: 30 }).map((x) => ({ Name: x.Name, Value: x.Value ?? "" }));
  const timestamp = d.timestamp("Timestamp") ?? now;
  if (timestamp < now - TWO_WEEKS_MS) {
    throw invalidValue(`The parameter ${d.path("Timestamp")} must specify a time no more than two weeks in the past.`);
  }
  if (timestamp > now + TWO_HOURS_MS) {
    throw invalidValue(`The parameter ${d.path("Timestamp")} must specify a time no more than two hours in the future.`);
  }
  const unit = d.enumValue("Unit", STANDARD_UNITS) ?? "None";
  const resolution = d.integer("StorageResolution");
  if (resolution !== undefined && resolution !== 1 && resolution !== 60) {
    throw invalidValue(`The value ${resolution} for parameter ${d.path("StorageResolution")} is invalid: use 1 or 60.`);
  }
  const highResolution = resolution === 1;

  const given = ["Value", "Values", "StatisticValues"].filter((m) => d.has(m));
  if (given.length > 1) {
    const [a = "", b = ""] = given;
    throw combination(`The parameter ${d.path(a)} must not be specified if ${d.path(b)} is specified.`);
  }
  if (d.has("Counts") && !d.has("Values")) {
    throw combination(`The parameter ${d.path("Counts")} must not be specified without ${d.path("Values")}.`);
  }
  const base = { t: truncateTimestamp(timestamp, highResolution), unit, highResolution };
  const id = { namespace, metricName, dimensions };

  if (d.has("StatisticValues")) {
    const s = d.struct("StatisticValues", { required: true }) as Reader;
    const sampleCount = checkValue(s.number("SampleCount", { required: true }) ?? 0, s.path("SampleCount"));
    const sum = checkValue(s.number("Sum", { required: true }) ?? 0, s.path("Sum"));
    const min = checkValue(s.number("Minimum", { required: true }) ?? 0, s.path("Minimum"));
    const max = checkValue(s.number("Maximum", { required: true }) ?? 0, s.path("Maximum"));
    if (sampleCount <= 0) throw invalidValue(`The parameter ${s.path("SampleCount")} must be greater than 0.`);
    if (min > max) throw invalidValue(`The parameter ${s.path("Minimum")} must not be greater than ${s.path("Maximum")}.`);
    return { id, observation: { ...base, statistics: { sampleCount, sum, min, max } } };
  }
  if (d.has("Values")) {
    const values = (d.list("Values") ?? []).map((v, i) => checkValue(toNumber(v, `${d.path("Values")}.member.${i + 1}`), `${d.path("Values")}.member.${i + 1}`));
    if (values.length > MAX_VALUES) {
      throw invalidValue(`The collection ${d.path("Values")} must not have a size greater than ${MAX_VALUES}.`);
    }
    const counts = d.has("Counts")
      ? (d.list("Counts") ?? []).map((v, i) => {
          const path = `${d.path("Counts")}.member.${i + 1}`;
          const c = checkValue(toNumber(v, path), path);
          if (c < 0) throw invalidValue(`The value ${c} for parameter ${path} is invalid: counts must not be negative.`);
          return c;
        })
      : values.map(() => 1);
    if (counts.length !== values.length) {
      throw invalidValue(`The parameters ${d.path("Values")} and ${d.path("Counts")} must be of the same size.`);
    }
    return { id, observation: { ...base, values, counts } };
  }
  if (d.has("Value")) {
    const value = checkValue(d.number("Value") ?? 0, d.path("Value"));
    return { id, observation: { ...base, values: [value], counts: [1] } };
  }
  throw missing(`${d.path("Value")}, ${d.path("Values")} or ${d.path("StatisticValues")}`);
}
