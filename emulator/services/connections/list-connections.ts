import { PROVIDER_TYPES } from "../../model";
import { InputReader } from "../../protocol/input";
import { paginate } from "../../protocol/pagination";
import type { JsonHandler } from "../registry";
import { findHost, HOST_ARN_PATTERN, readPage, toConnection, type ConnectionsState } from "./model";

/**
 * Every connection of the caller's account — of every home Region and both ARN prefixes — in
 * creation order, whichever Region's endpoint is called (connections are global resources).
 * HostArnFilter names a host of the caller's Region (hosts are regional); it keeps the
 * connections installed on that host.
 */
export const listConnections: JsonHandler<ConnectionsState> = (input, ctx) => {
  const r = new InputReader(input);
  const providerType = r.enumValue("ProviderTypeFilter", PROVIDER_TYPES);
  const hostArnFilter = r.string("HostArnFilter", { max: 256, pattern: HOST_ARN_PATTERN });
  const { pageSize, afterSeq } = readPage(r, "connections");
  const host = hostArnFilter === undefined ? undefined : findHost(ctx, hostArnFilter);

  const matching = ctx.state.codeConnections
    .connectionsOf(ctx.account)
    .filter((c) => providerType === undefined || c.providerType === providerType)
    .filter((c) => host === undefined || (c.hostArn !== undefined && ctx.state.codeConnections.hostByArn(c.hostArn) === host));
  const page = paginate(matching, "connections", pageSize, afterSeq);
  return { Connections: page.items.map(toConnection), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
};
