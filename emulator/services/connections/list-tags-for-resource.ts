import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { findTaggable, RESOURCE_ARN_PATTERN, type ConnectionsState } from "./model";

export const listTagsForResource: JsonHandler<ConnectionsState> = (input, ctx) => {
  const r = new InputReader(input);
  const arn = r.string("ResourceArn", { required: true, min: 1, max: 1011, pattern: RESOURCE_ARN_PATTERN });
  r.done();
  return { Tags: findTaggable(ctx, arn ?? "").tags };
};
