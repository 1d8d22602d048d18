import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { findTaggable, MAX_TAGS, RESOURCE_ARN_PATTERN, type ConnectionsState } from "./model";

/** Removes the named tags; keys the resource does not have are ignored. */
export const untagResource: JsonHandler<ConnectionsState> = (input, ctx) => {
  const r = new InputReader(input);
  const arn = r.string("ResourceArn", { required: true, min: 1, max: 1011, pattern: RESOURCE_ARN_PATTERN });
  const keys = r.strings("TagKeys", { required: true, min: 0, max: MAX_TAGS }, { min: 1, max: 128 }) ?? [];
  r.done();
  const resource = findTaggable(ctx, arn ?? "");
  const remove = new Set(keys);
  resource.tags = resource.tags.filter((t) => !remove.has(t.Key));
  return {};
};
