import type { JsonHandler } from "../registry";
import { invalidValue, Reader, scopeOf, type CloudWatchState } from "./model";

/**
 * DeleteAlarms: up to 100 names (at least one) of the caller's scope; names that match no alarm
 * are skipped, not an error. Answers `{}`.
 */
export const deleteAlarms: JsonHandler<CloudWatchState> = (input, ctx) => {
  const r = new Reader(input);
  const items = r.list("AlarmNames", { required: true, max: 100 }) ?? [];
  const names = items.map((v, i) => {
    if (typeof v !== "string" || v.length < 1 || v.length > 255) throw invalidValue(`The value ${JSON.stringify(v)} for parameter AlarmNames.member.${i + 1} is invalid.`);
    return v;
  });
  ctx.state.alarms.delete(scopeOf(ctx), names);
  return {};
};
