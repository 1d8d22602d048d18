import { InputReader } from "../../protocol/input";
import { paginate } from "../../protocol/pagination";
import { PROVIDER_TYPES } from "../../state";
import type { JsonHandler } from "../registry";
import { findHost, HOST_ARN_PATTERN, hostIdOf, readPage, toConnection } from "./model";

/** Connections of both ARN prefixes in the caller's scope, in creation order. */
export const listConnections: JsonHandler = (input, ctx) => {
  const r = new InputReader(input);
  const providerType = r.enumValue("ProviderTypeFilter", PROVIDER_TYPES);
  const hostArnFilter = r.string("HostArnFilter", { max: 256, pattern: HOST_ARN_PATTERN });
  const { pageSize, afterSeq } = readPage(r, "connections");
  const hostId = hostArnFilter === undefined ? undefined : findHost(ctx, hostArnFilter).id;

  const matching = ctx.state
    .connectionsIn(ctx.account, ctx.region)
    .filter((c) => providerType === undefined || c.providerType === providerType)
    .filter((c) => hostId === undefined || (c.hostArn !== undefined && hostIdOf(c.hostArn) === hostId));
  const page = paginate(matching, "connections", pageSize, afterSeq);
  return { Connections: page.items.map(toConnection), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
};
