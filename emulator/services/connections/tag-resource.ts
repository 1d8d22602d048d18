import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { findTaggable, limitExceeded, MAX_TAGS, mergeTags, readTags, RESOURCE_ARN_PATTERN, type ConnectionsState } from "./model";

/** Adds or overwrites tags; more than 200 tags on the resource is a LimitExceededException. */
export const tagResource: JsonHandler<ConnectionsState> = (input, ctx) => {
  const r = new InputReader(input);
  const arn = r.string("ResourceArn", { required: true, min: 1, max: 1011, pattern: RESOURCE_ARN_PATTERN });
  const tags = readTags(r, "Tags", { required: true }) ?? [];
  r.done();
  const resource = findTaggable(ctx, arn ?? "");
  const merged = mergeTags(resource.tags, tags);
  if (merged.length > MAX_TAGS) throw limitExceeded(`A resource can have at most ${MAX_TAGS} tags.`);
  resource.tags = merged;
  return {};
};
