import { AwsError } from "../../protocol/errors";
import type { JsonHandler } from "../registry";
import { ACCOUNT_ID, accountShape, requireAdministrator, requiredId, type OrganizationsState } from "./model";

export const describeAccount: JsonHandler<OrganizationsState> = (input, ctx) => {
  const store = requireAdministrator(ctx);
  const id = requiredId(input, "AccountId", ACCOUNT_ID, 12);
  const account = store.accounts.get(id);
  if (!account) throw new AwsError("AccountNotFoundException", "You specified an account that doesn't exist.");
  return { Account: accountShape(store, account) };
};
