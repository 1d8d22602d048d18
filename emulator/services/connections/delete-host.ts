import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { findHost, HOST_ARN_PATTERN, unavailable, type ConnectionsState } from "./model";

/** Refused with ResourceUnavailableException while connections still use the host. */
export const deleteHost: JsonHandler<ConnectionsState> = (input, ctx) => {
  const r = new InputReader(input);
  const arn = r.string("HostArn", { required: true, max: 256, pattern: HOST_ARN_PATTERN });
  r.done();
  const host = findHost(ctx, arn ?? "");
  const users = ctx.state.codeConnections.connectionsOnHost(host);
  if (users.length > 0) {
    throw unavailable(`Host ${arn} is used by ${users.length} connection(s); delete them before the host.`);
  }
  ctx.state.codeConnections.hosts.delete(host.id);
  return {};
};
