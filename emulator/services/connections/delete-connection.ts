import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { CONNECTION_ARN_PATTERN, findConnection, type ConnectionsState } from "./model";

/** Deletes a connection in any status, with its tags. */
export const deleteConnection: JsonHandler<ConnectionsState> = (input, ctx) => {
  const r = new InputReader(input);
  const arn = r.string("ConnectionArn", { required: true, max: 256, pattern: CONNECTION_ARN_PATTERN });
  r.done();
  ctx.state.codeConnections.connections.delete(findConnection(ctx, arn ?? "").uuid);
  return {};
};
