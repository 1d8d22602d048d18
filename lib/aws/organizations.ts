import "server-only";
import { AccountClient, paginateListRegions } from "@aws-sdk/client-account";
import {
  DescribeOrganizationCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListRoots,
  type Account,
} from "@aws-sdk/client-organizations";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentityProvider, FinalizeRequestMiddleware, MetadataBearer } from "@smithy/types";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { OrgAccount } from "@/lib/types";
import { roleCredentials } from "./credentials";
import { toAppError } from "./errors";
import { REQUEST_HANDLER } from "./http";

/**
 * AWS Organizations and Account Management, read from the management account or a delegated
 * administrator: the organization, its OUs and accounts, and each account's enabled Regions. Both
 * services have one endpoint per partition (us-east-1 in the commercial one). ListAccounts allows
 * about one call a second per organization, so every list here is read page by page, one request
 * at a time, and the SDK retries TooManyRequestsException with backoff (up to MAX_ATTEMPTS).
 */

/** Attempts per call, the SDK's standard retry with exponential backoff and jitter in between. */
export const MAX_ATTEMPTS = 6;

/** The Region of the partition's global endpoints (Organizations, Account Management). */
export function globalRegion(): string {
  const r = env().AWS_REGION ?? "";
  if (r.startsWith("us-gov-")) return "us-gov-west-1";
  if (r.startsWith("cn-")) return "cn-northwest-1";
  return "us-east-1";
}

export interface OrgClients {
  organizations: OrganizationsClient;
  account: AccountClient;
  sts: STSClient;
  /** AWS calls made through these clients, by operation (the run's report). */
  calls: Record<string, number>;
}

/** Fresh clients for one run, with the default credentials or the role `managementRoleArn`. */
export function organizationClients(managementRoleArn?: string): OrgClients {
  const region = globalRegion();
  const credentials: AwsCredentialIdentityProvider | undefined = managementRoleArn ? roleCredentials(managementRoleArn, env().AWS_REGION ?? region) : undefined;
  const config = { region, endpoint: env().AWS_ENDPOINT_URL, credentials, maxAttempts: MAX_ATTEMPTS, requestHandler: REQUEST_HANDLER };
  const calls: Record<string, number> = {};
  const clients = { organizations: new OrganizationsClient(config), account: new AccountClient(config), sts: new STSClient({ ...config, region: env().AWS_REGION ?? region }), calls };
  // Counts every request sent (retries included), by the command's name.
  const counter: FinalizeRequestMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const op = String(context.commandName ?? "call").replace(/Command$/, "");
    calls[op] = (calls[op] ?? 0) + 1;
    return next(args);
  };
  const options = { step: "finalizeRequest", name: "tetherCountCalls" } as const;
  clients.organizations.middlewareStack.add(counter, options);
  clients.account.middlewareStack.add(counter, options);
  clients.sts.middlewareStack.add(counter, options);
  return clients;
}

/** Organizations errors that need words of their own; the rest go through toAppError. */
function orgError(e: unknown, what: string): AppError {
  const name = (e as { name?: string })?.name ?? "";
  if (name === "AWSOrganizationsNotInUseException") return new AppError("config", `${what}: the account of Tether's credentials is not in an organization (${name})`, { cause: e });
  const err = toAppError(e, what);
  if (err.kind === "forbidden" && /AccessDenied/.test(name)) {
    return new AppError("forbidden", `${err.message}: Tether's credentials (or managementRoleArn) must be of the management account or a delegated administrator, with the policy in deploy/iam/tether-discovery-policy.json`, { cause: e });
  }
  return err;
}

export async function describeOrganization(c: OrgClients): Promise<{ id: string; managementAccount: string }> {
  try {
    const out = await c.organizations.send(new DescribeOrganizationCommand({}));
    const org = out.Organization;
    if (!org?.Id || !org.MasterAccountId) throw new AppError("unavailable", "DescribeOrganization returned no organization");
    return { id: org.Id, managementAccount: org.MasterAccountId };
  } catch (e) {
    throw orgError(e, "reading the organization (DescribeOrganization)");
  }
}

/** The account of the credentials the clients use (GetCallerIdentity). */
export async function callerOf(c: OrgClients): Promise<string> {
  try {
    const out = await c.sts.send(new GetCallerIdentityCommand({}));
    if (!out.Account) throw new AppError("unavailable", "GetCallerIdentity returned no account");
    return out.Account;
  } catch (e) {
    throw orgError(e, "finding the account of Tether's credentials (GetCallerIdentity)");
  }
}

/** `State` when AWS sends it, else the older `Status` (AWS retires it in September 2026). */
export function accountState(a: Pick<Account, "State" | "Status">): string {
  return a.State ?? a.Status ?? "UNKNOWN";
}

const toOrgAccount = (a: Account): OrgAccount | null => (a.Id ? { id: a.Id, name: a.Name ?? a.Id, state: accountState(a) } : null);

/** Every account of the organization (ListAccounts, 20 a page, one page at a time). */
export async function listAccounts(c: OrgClients): Promise<OrgAccount[]> {
  const out: OrgAccount[] = [];
  try {
    for await (const page of paginateListAccounts({ client: c.organizations, pageSize: 20 }, {})) {
      for (const a of page.Accounts ?? []) {
        const acc = toOrgAccount(a);
        if (acc) out.push(acc);
      }
    }
  } catch (e) {
    throw orgError(e, "listing the organization's accounts (ListAccounts)");
  }
  return out;
}

/** The accounts directly under a root or OU (ListAccountsForParent). */
export async function listAccountsForParent(c: OrgClients, parentId: string): Promise<OrgAccount[]> {
  const out: OrgAccount[] = [];
  try {
    for await (const page of paginateListAccountsForParent({ client: c.organizations, pageSize: 20 }, { ParentId: parentId })) {
      for (const a of page.Accounts ?? []) {
        const acc = toOrgAccount(a);
        if (acc) out.push(acc);
      }
    }
  } catch (e) {
    throw orgError(e, `listing the accounts of ${parentId} (ListAccountsForParent)`);
  }
  return out;
}

export interface OrgUnit {
  id: string;
  name: string;
}

/** The organization's roots (one today). */
export async function listRoots(c: OrgClients): Promise<OrgUnit[]> {
  const out: OrgUnit[] = [];
  try {
    for await (const page of paginateListRoots({ client: c.organizations, pageSize: 20 }, {})) {
      for (const r of page.Roots ?? []) if (r.Id) out.push({ id: r.Id, name: r.Name ?? "Root" });
    }
  } catch (e) {
    throw orgError(e, "listing the organization's roots (ListRoots)");
  }
  return out;
}

/** The OUs directly under a root or OU (ListOrganizationalUnitsForParent). */
export async function listOusForParent(c: OrgClients, parentId: string): Promise<OrgUnit[]> {
  const out: OrgUnit[] = [];
  try {
    for await (const page of paginateListOrganizationalUnitsForParent({ client: c.organizations, pageSize: 20 }, { ParentId: parentId })) {
      for (const u of page.OrganizationalUnits ?? []) if (u.Id) out.push({ id: u.Id, name: u.Name ?? u.Id });
    }
  } catch (e) {
    throw orgError(e, `listing the OUs under ${parentId} (ListOrganizationalUnitsForParent)`);
  }
  return out;
}

/**
 * The Regions enabled for an account (ENABLED or ENABLED_BY_DEFAULT), sorted. `accountId` names a
 * member account; undefined means the credentials' own account (AWS refuses the management account's
 * own id in AccountId).
 */
export async function listEnabledRegions(c: OrgClients, accountId: string | undefined): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const page of paginateListRegions({ client: c.account, pageSize: 50 }, { ...(accountId ? { AccountId: accountId } : {}), RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"] })) {
      for (const r of page.Regions ?? []) {
        if (r.RegionName && (r.RegionOptStatus === "ENABLED" || r.RegionOptStatus === "ENABLED_BY_DEFAULT")) out.push(r.RegionName);
      }
    }
  } catch (e) {
    throw orgError(e, `listing the enabled Regions of ${accountId ?? "the management account"} (ListRegions)`);
  }
  return [...new Set(out)].sort();
}

/**
 * Assumes `roleArn` now (the credentials are kept for the account's listings, as every scope's
 * are): throws the AppError that its listings would show when it cannot.
 */
export async function assumeRole(roleArn: string): Promise<void> {
  await roleCredentials(roleArn, env().AWS_REGION ?? globalRegion())();
}

