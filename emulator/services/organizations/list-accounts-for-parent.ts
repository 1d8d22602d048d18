import type { JsonHandler } from "../registry";
import { parentNotFound } from "./list-organizational-units-for-parent";
import { accountShape, page, PARENT_ID, readPage, requireAdministrator, requiredId, type OrganizationsState } from "./model";

/** The accounts directly in a root or OU (not those of its child OUs). */
export const listAccountsForParent: JsonHandler<OrganizationsState> = (input, ctx) => {
  const store = requireAdministrator(ctx);
  const parentId = requiredId(input, "ParentId", PARENT_ID, 100);
  const pageInput = readPage(input);
  if (!store.parentExists(parentId)) throw parentNotFound();
  const result = page(store.accountsIn(parentId), pageInput, `accounts/${parentId}`);
  return { Accounts: result.items.map((a) => accountShape(store, a)), ...(result.nextToken ? { NextToken: result.nextToken } : {}) };
};
