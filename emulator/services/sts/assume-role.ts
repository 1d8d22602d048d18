import { parseArn } from "../../arns";
import { assumedRoleIdentity, issueCredentials } from "../../identity";
import { AwsError } from "../../protocol/errors";
import type { QueryValue } from "../../protocol/query";
import type { QueryHandler } from "../registry";

const SESSION_NAME = /^[\w+=,.@-]*$/;
const MIN_DURATION = 900;
const MAX_DURATION = 43_200;
const DEFAULT_DURATION = 3_600;

/**
 * What STS needs of the emulator's state: the accounts a role may be assumed in, and for some of
 * them the only role names that exist there.
 */
export interface StsState {
  readonly accounts: ReadonlySet<string>;
  readonly roles: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Issues temporary credentials for a role of an account the current fixture knows: any role name,
 * unless the fixture lists the account's roles (the `org` fixture's members), then one of those.
 * Every emulated role trusts every caller. Policy, Tags, ExternalId and the other optional
 * parameters are accepted and ignored.
 */
export const assumeRole: QueryHandler<StsState> = (params, ctx) => {
  const roleArn = requiredString(params, "RoleArn", 20, 2048);
  const sessionName = requiredString(params, "RoleSessionName", 2, 64);
  if (!SESSION_NAME.test(sessionName)) {
    throw validation(`Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  const duration = durationSeconds(params.DurationSeconds);

  const arn = parseArn(roleArn);
  const roleName = arn?.resourceId.split("/").pop() ?? "";
  if (!arn || arn.service !== "iam" || arn.resourceType !== "role" || !roleName || !arn.account) {
    throw new AwsError("ValidationError", `${roleArn} is not a valid role ARN: expected arn:aws:iam::<account>:role/<name>.`);
  }
  const roles = ctx.state.roles.get(arn.account);
  if (!ctx.state.accounts.has(arn.account) || (roles !== undefined && !roles.has(roleName))) {
    throw new AwsError(
      "AccessDenied",
      `User: ${ctx.identity.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    );
  }

  const expiration = new Date(ctx.now.getTime() + duration * 1000);
  const credentials = issueCredentials({ account: arn.account, roleName, sessionName, expiration });
  const user = assumedRoleIdentity({ ...credentials, account: arn.account, roleName, sessionName });
  return {
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: credentials.expiration,
    },
    AssumedRoleUser: { AssumedRoleId: user.userId, Arn: user.arn },
  };
};

function requiredString(params: Record<string, QueryValue>, name: string, min: number, max: number): string {
  const value = params[name];
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  if (value === undefined) throw validation(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  if (typeof value !== "string") throw validation(`Value at '${member}' must be a string`);
  if (value.length < min || value.length > max) {
    throw validation(
      `Value '${value}' at '${member}' failed to satisfy constraint: Member must have length between ${min} and ${max}`,
    );
  }
  return value;
}

function durationSeconds(value: QueryValue | undefined): number {
  if (value === undefined) return DEFAULT_DURATION;
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < MIN_DURATION || n > MAX_DURATION) {
    throw validation(
      `Value '${String(value)}' at 'durationSeconds' failed to satisfy constraint: ` +
        `Member must have value between ${MIN_DURATION} and ${MAX_DURATION}`,
    );
  }
  return n;
}

function validation(message: string): AwsError {
  return new AwsError("ValidationError", `1 validation error detected: ${message}`);
}
