import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { CONNECTION_ARN_PATTERN, findConnection, toConnection, type ConnectionsState } from "./model";

/** Either ARN prefix finds the connection; the answer carries its own (stored) ARN. */
export const getConnection: JsonHandler<ConnectionsState> = (input, ctx) => {
  const r = new InputReader(input);
  const arn = r.string("ConnectionArn", { required: true, max: 256, pattern: CONNECTION_ARN_PATTERN });
  r.done();
  return { Connection: toConnection(findConnection(ctx, arn ?? "")) };
};
