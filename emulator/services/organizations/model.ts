import { AwsError } from "../../protocol/errors";
import { decodeJsonToken, encodeJsonToken } from "../../protocol/pagination";
import type { CallContext } from "../registry";
import type { OrgAccountRecord, OrganizationStore, OuRecord } from "./store";
import { STATUS_OF_STATE } from "./store";

/** What the Organizations operations need of the emulator's state. */
export interface OrganizationsState {
  readonly organization: OrganizationStore;
}

export type OrgContext = CallContext<OrganizationsState>;

/**
 * Organizations errors have no `httpError` trait in the model: every one is HTTP 400, as Coral
 * JSON services answer. Validation problems are `InvalidInputException` with a `Reason` (the
 * model's InvalidInputExceptionReason), not a ValidationException.
 */
export function notInUse(): AwsError {
  return new AwsError("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
}

export function accessDenied(): AwsError {
  return new AwsError("AccessDeniedException", "You don't have permissions to access this resource.");
}

export function invalidInput(reason: string, message: string): AwsError {
  return new AwsError("InvalidInputException", message, 400, { fields: { Reason: reason } });
}

/** Any account of the organization may describe it; the caller must be a member. */
export function requireMember(ctx: OrgContext): OrganizationStore {
  const store = ctx.state.organization;
  if (!store.isMember(ctx.account)) throw notInUse();
  return store;
}

/** The list and describe operations: the management account or a delegated administrator only. */
export function requireAdministrator(ctx: OrgContext): OrganizationStore {
  const store = requireMember(ctx);
  if (!store.mayAdminister(ctx.account)) throw accessDenied();
  return store;
}

/** `MaxResults` 1–20 (absent: 20) and `NextToken` as strings of the right type. */
export interface PageInput {
  maxResults: number;
  nextToken?: string;
}

export const MAX_RESULTS = 20;

export function readPage(input: Record<string, unknown>): PageInput {
  const max = input.MaxResults;
  let maxResults = MAX_RESULTS;
  if (max !== undefined && max !== null) {
    if (typeof max !== "number" || !Number.isInteger(max)) throw serialization("MaxResults", "an integer");
    if (max < 1) throw invalidInput("MIN_VALUE_EXCEEDED", `You provided a value for MaxResults (${max}) below the minimum of 1.`);
    if (max > MAX_RESULTS) {
      throw invalidInput("MAX_VALUE_EXCEEDED", `You provided a value for MaxResults (${max}) above the maximum of ${MAX_RESULTS}.`);
    }
    maxResults = max;
  }
  const token = input.NextToken;
  if (token === undefined || token === null) return { maxResults };
  if (typeof token !== "string") throw serialization("NextToken", "a string");
  return { maxResults, nextToken: token };
}

export const PARENT_ID = /^(r-[0-9a-z]{4,32})$|^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
export const ACCOUNT_ID = /^\d{12}$/;

/** A required string member checked against the model's pattern (INPUT_REQUIRED, INVALID_PATTERN). */
export function requiredId(input: Record<string, unknown>, name: string, pattern: RegExp, max: number): string {
  const value = input[name];
  if (value === undefined || value === null) throw invalidInput("INPUT_REQUIRED", `You must specify a value for ${name}.`);
  if (typeof value !== "string") throw serialization(name, "a string");
  if (value.length > max) throw invalidInput("MAX_LENGTH_EXCEEDED", `You provided a value for ${name} longer than ${max} characters.`);
  if (!pattern.test(value)) {
    throw invalidInput("INVALID_PATTERN", `You provided a value for ${name} ('${value}') that does not match the required pattern.`);
  }
  return value;
}

function serialization(member: string, expected: string): AwsError {
  return new AwsError("SerializationException", `${member} must be ${expected}.`);
}

/**
 * One page of `items` (in creation order). The token names the operation, its parent (if any)
 * and the position after the last item returned; any other token → InvalidInputException
 * INVALID_NEXT_TOKEN. `NextToken` is absent on the last page.
 */
export function page<T extends { seq: number }>(
  items: readonly T[],
  input: PageInput,
  list: string,
): { items: T[]; nextToken?: string } {
  let after = 0;
  if (input.nextToken !== undefined) {
    const token = decodeJsonToken(input.nextToken);
    if (!token || token.l !== list || typeof token.a !== "number" || !Number.isSafeInteger(token.a)) {
      throw invalidInput("INVALID_NEXT_TOKEN", "The specified NextToken is not valid for this operation.");
    }
    after = token.a;
  }
  const remaining = items.filter((i) => i.seq > after);
  const taken = remaining.slice(0, input.maxResults);
  const last = taken[taken.length - 1];
  return remaining.length > taken.length && last ? { items: taken, nextToken: encodeJsonToken({ l: list, a: last.seq }) } : { items: taken };
}

export function accountShape(store: OrganizationStore, a: OrgAccountRecord): Record<string, unknown> {
  return {
    Id: a.id,
    Arn: store.accountArn(a.id),
    Email: a.email,
    Name: a.name,
    Status: STATUS_OF_STATE[a.state],
    State: a.state,
    JoinedMethod: a.joinedMethod,
    JoinedTimestamp: a.joinedAt,
  };
}

export function ouShape(store: OrganizationStore, ou: OuRecord): Record<string, unknown> {
  return { Id: ou.id, Arn: store.ouArn(ou.id), Name: ou.name };
}

/** The policy types the fixture's organization has enabled (service control policies). */
export const POLICY_TYPES = [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }];
