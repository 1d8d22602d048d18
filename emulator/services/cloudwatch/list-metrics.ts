import type { JsonHandler } from "../registry";
import { decodeToken, encodeToken, invalidValue, readDimensions, Reader, readNamespace, scopeOf, type CloudWatchState } from "./model";
import type { MetricSeries } from "./store";

export const LIST_METRICS_PAGE = 500;
const TWO_WEEKS_MS = 14 * 86_400_000;
const THREE_HOURS_MS = 3 * 3_600_000;

/**
 * ListMetrics: the caller's scope's metrics with data in the last two weeks, filtered by
 * Namespace, MetricName and Dimensions (each `{Name}` or `{Name, Value}` must be among the
 * metric's dimensions; the metric may have more), sorted by namespace, name and dimensions,
 * 500 a page. RecentlyActive `PT3H`: only metrics that received data in the last 3 hours.
 */
export const listMetrics: JsonHandler<CloudWatchState> = (input, ctx) => {
  const r = new Reader(input);
  const namespace = readNamespace(r, { required: false });
  const metricName = r.string("MetricName", { min: 1, max: 255 });
  const filters = readDimensions(r, { max: 10, valueOptional: true });
  const nextToken = r.string("NextToken");
  const recentlyActive = r.enumValue("RecentlyActive", ["PT3H"]);
  const includeLinked = r.boolean("IncludeLinkedAccounts") ?? false;
  const owningAccount = r.string("OwningAccount");
  const now = ctx.now.getTime();
  let after: string | undefined;
  if (nextToken !== undefined) {
    const t = decodeToken(nextToken);
    if (t?.k !== "lm" || typeof t.a !== "string") throw invalidValue("The value for parameter NextToken is invalid.");
    after = t.a;
  }
  if (owningAccount !== undefined && owningAccount !== ctx.account) return { Metrics: [] };

  const matches = (s: MetricSeries) =>
    s.lastTimestamp >= now - TWO_WEEKS_MS &&
    (recentlyActive === undefined || s.lastPutAt >= now - THREE_HOURS_MS) &&
    (namespace === undefined || s.id.namespace === namespace) &&
    (metricName === undefined || s.id.metricName === metricName) &&
    filters.every((f) => s.id.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)));
  const all = ctx.state.metrics
    .list(scopeOf(ctx))
    .filter(matches)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const remaining = after === undefined ? all : all.filter((s) => s.key > after);
  const page = remaining.slice(0, LIST_METRICS_PAGE);
  const last = page[page.length - 1];
  return {
    Metrics: page.map((s) => ({ Namespace: s.id.namespace, MetricName: s.id.metricName, Dimensions: s.id.dimensions })),
    ...(includeLinked ? { OwningAccounts: page.map(() => ctx.account) } : {}),
    ...(remaining.length > page.length && last ? { NextToken: encodeToken({ k: "lm", a: last.key }) } : {}),
  };
};
