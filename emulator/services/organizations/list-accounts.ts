import type { JsonHandler } from "../registry";
import { accountShape, page, readPage, requireAdministrator, type OrganizationsState } from "./model";

/** Every account of the organization, the management account first, then in the order they joined. */
export const listAccounts: JsonHandler<OrganizationsState> = (input, ctx) => {
  const store = requireAdministrator(ctx);
  const result = page([...store.accounts.values()], readPage(input), "accounts");
  return { Accounts: result.items.map((a) => accountShape(store, a)), ...(result.nextToken ? { NextToken: result.nextToken } : {}) };
};
