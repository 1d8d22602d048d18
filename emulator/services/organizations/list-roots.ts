import type { JsonHandler } from "../registry";
import { page, POLICY_TYPES, readPage, requireAdministrator, type OrganizationsState } from "./model";

export const listRoots: JsonHandler<OrganizationsState> = (input, ctx) => {
  const store = requireAdministrator(ctx);
  const org = store.organization;
  if (!org) throw new Error("administrator of no organization");
  const roots = [{ seq: 1, Id: org.rootId, Arn: store.rootArn(), Name: "Root", PolicyTypes: POLICY_TYPES }];
  const result = page(roots, readPage(input), "roots");
  return { Roots: result.items.map(({ seq: _seq, ...root }) => root), ...(result.nextToken ? { NextToken: result.nextToken } : {}) };
};
