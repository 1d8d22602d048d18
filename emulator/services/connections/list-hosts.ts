import { InputReader } from "../../protocol/input";
import { paginate } from "../../protocol/pagination";
import type { JsonHandler } from "../registry";
import { readPage, toHost, type ConnectionsState } from "./model";

/** Hosts of both ARN prefixes in the caller's scope, in creation order. */
export const listHosts: JsonHandler<ConnectionsState> = (input, ctx) => {
  const { pageSize, afterSeq } = readPage(new InputReader(input), "hosts");
  const page = paginate(ctx.state.codeConnections.hostsIn(ctx.account, ctx.region), "hosts", pageSize, afterSeq);
  return { Hosts: page.items.map(toHost), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
};
