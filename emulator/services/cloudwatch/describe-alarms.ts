import type { JsonHandler } from "../registry";
import type { StoredAlarm } from "./alarm-store";
import { combination, decodeToken, encodeToken, invalidValue, Reader, scopeOf, type CloudWatchState } from "./model";

const DEFAULT_MAX_RECORDS = 50;

function readNames(r: Reader, name: string, max: number): string[] | undefined {
  const items = r.list(name, { max });
  return items?.map((v, i) => {
    if (typeof v !== "string" || v.length < 1 || v.length > 255) throw invalidValue(`The value ${JSON.stringify(v)} for parameter ${r.path(name)}.member.${i + 1} is invalid.`);
    return v;
  });
}

/**
 * DescribeAlarms: the caller's scope's alarms in name order, filtered by AlarmNames (≤ 100) or
 * AlarmNamePrefix (not both), StateValue and ActionPrefix (any action starting with it), MaxRecords
 * (1–100, default 50) a page with NextToken. AlarmTypes: `MetricAlarm` (the default when absent),
 * `CompositeAlarm` (the emulator stores none: always empty). Every answer carries both lists.
 */
export const describeAlarms: JsonHandler<CloudWatchState> = (input, ctx) => {
  const r = new Reader(input);
  const names = readNames(r, "AlarmNames", 100);
  const prefix = r.string("AlarmNamePrefix", { min: 1, max: 255 });
  const types = r.list("AlarmTypes", { max: 3 })?.map((t, i) => {
    if (t !== "MetricAlarm" && t !== "CompositeAlarm" && t !== "LogAlarm") throw invalidValue(`The value ${String(t)} for parameter AlarmTypes.member.${i + 1} is invalid. Valid values: CompositeAlarm, MetricAlarm, LogAlarm.`);
    return t;
  });
  const children = r.string("ChildrenOfAlarmName", { min: 1, max: 255 });
  const parents = r.string("ParentsOfAlarmName", { min: 1, max: 255 });
  const state = r.enumValue("StateValue", ["OK", "ALARM", "INSUFFICIENT_DATA"]);
  const actionPrefix = r.string("ActionPrefix", { min: 1, max: 1024 });
  const maxRecords = r.integer("MaxRecords", { min: 1, max: 100 }) ?? DEFAULT_MAX_RECORDS;
  const nextToken = r.string("NextToken");
  if (names !== undefined && prefix !== undefined) throw combination("The parameters AlarmNames and AlarmNamePrefix are mutually exclusive.");
  if ((children !== undefined || parents !== undefined) && (names !== undefined || prefix !== undefined || state !== undefined || actionPrefix !== undefined)) {
    throw combination("The parameters ChildrenOfAlarmName and ParentsOfAlarmName cannot be combined with other filters.");
  }
  let after: string | undefined;
  if (nextToken !== undefined) {
    const t = decodeToken(nextToken);
    if (t?.k !== "da" || typeof t.a !== "string") throw invalidValue("The value for parameter NextToken is invalid.");
    after = t.a;
  }
  const wantMetric = (types === undefined || types.includes("MetricAlarm")) && children === undefined && parents === undefined;
  const matches = (a: StoredAlarm) =>
    (names === undefined || names.includes(a.AlarmName)) &&
    (prefix === undefined || a.AlarmName.startsWith(prefix)) &&
    (state === undefined || a.StateValue === state) &&
    (actionPrefix === undefined || [...a.OKActions, ...a.AlarmActions, ...a.InsufficientDataActions].some((x) => x.startsWith(actionPrefix)));
  const all = wantMetric ? ctx.state.alarms.list(scopeOf(ctx)).filter(matches) : [];
  const remaining = after === undefined ? all : all.filter((a) => a.AlarmName > after);
  const page = remaining.slice(0, maxRecords);
  const last = page[page.length - 1];
  return {
    MetricAlarms: page.map((a) => ({ ...a })),
    CompositeAlarms: [],
    ...(remaining.length > page.length && last ? { NextToken: encodeToken({ k: "da", a: last.AlarmName }) } : {}),
  };
};
