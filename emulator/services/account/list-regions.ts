import { AwsError } from "../../protocol/errors";
import { InputReader } from "../../protocol/input";
import { decodeJsonToken, encodeJsonToken } from "../../protocol/pagination";
import type { CallContext, JsonHandler } from "../registry";
import { ERROR_STATUS, type AccountManagementState } from "./model";
import { REGION_OPT_STATUSES } from "./store";

const MAX_RESULTS = 50;
/** The model gives no default page size; the emulator answers up to 20 Regions a page. */
const DEFAULT_RESULTS = 20;

/**
 * ListRegions: the caller's own account without `AccountId`; with it, a member account of the
 * caller's organization, named by its management account or a delegated administrator (the
 * management account may not name itself: it calls in "standalone context").
 */
export const listRegions: JsonHandler<AccountManagementState> = (input, ctx) => {
  const reader = new InputReader(input);
  const accountId = reader.string("AccountId", { pattern: /^\d{12}$/ });
  const maxResults = reader.integer("MaxResults", { min: 1, max: MAX_RESULTS });
  const nextToken = reader.string("NextToken", { max: 1000 });
  const statuses = reader.list(
    "RegionOptStatusContains",
    (value, at) => {
      if (typeof value !== "string") throw new AwsError("SerializationException", `${at} must be a string.`);
      if (!(REGION_OPT_STATUSES as readonly string[]).includes(value)) {
        reader.fail("RegionOptStatusContains", value, `Member must satisfy enum value set: [${REGION_OPT_STATUSES.join(", ")}]`);
      }
      return value;
    },
  );
  try {
    reader.done();
  } catch (e) {
    if (e instanceof AwsError) throw new AwsError(e.code, e.message, ERROR_STATUS.ValidationException, { fields: { reason: "fieldValidationFailed" } });
    throw e;
  }

  const target = accountId === undefined ? ctx.account : authorizedTarget(ctx, accountId);
  const filter = statuses && statuses.length > 0 ? new Set(statuses) : undefined;
  const regions = ctx.state.regions.regionsOf(target).filter((r) => !filter || filter.has(r.status));

  let start = 0;
  if (nextToken !== undefined && nextToken !== "") {
    const token = decodeJsonToken(nextToken);
    if (!token || token.t !== target || typeof token.i !== "number" || !Number.isSafeInteger(token.i) || token.i < 0) {
      throw new AwsError("ValidationException", "The NextToken is not valid.", ERROR_STATUS.ValidationException, {
        fields: { reason: "fieldValidationFailed", fieldList: [{ name: "NextToken", message: "The NextToken is not valid." }] },
      });
    }
    start = token.i;
  }
  const size = maxResults ?? DEFAULT_RESULTS;
  const pageOf = regions.slice(start, start + size);
  const more = start + size < regions.length;
  return {
    Regions: pageOf.map((r) => ({ RegionName: r.name, RegionOptStatus: r.status })),
    ...(more ? { NextToken: encodeJsonToken({ t: target, i: start + size }) } : {}),
  };
};

function authorizedTarget(ctx: CallContext<AccountManagementState>, accountId: string): string {
  const org = ctx.state.organization;
  const deny = (reason: string) =>
    new AwsError("AccessDeniedException", `User: ${ctx.identity.arn} is not authorized to perform: account:ListRegions (${reason})`, ERROR_STATUS.AccessDeniedException);
  if (!org.organization || !org.isMember(ctx.account)) throw deny("Your account is not a member of an organization");
  if (!org.mayAdminister(ctx.account)) {
    throw deny("Only the organization's management account or a delegated administrator can specify an AccountId");
  }
  if (accountId === org.organization.managementAccount) {
    throw deny("The management account can only be managed using the standalone context from the management account");
  }
  if (!org.isMember(accountId)) throw deny("The specified account is not a member of your organization");
  return accountId;
}
