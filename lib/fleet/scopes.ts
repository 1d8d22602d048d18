import "server-only";
import { callerAccount } from "@/lib/aws/credentials";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { singleton } from "@/lib/singleton";
import type { Scope } from "@/lib/types";
import { discoveredScopes } from "./discovery";

/**
 * The scopes Tether watches: TETHER_SCOPES (or its file) expanded to one scope per region, then the
 * accounts organization discovery found (TETHER_ORGANIZATION, lib/fleet/discovery.ts) that
 * TETHER_SCOPES does not name: an account configured there is watched as configured (its
 * Regions, its credentials), never also as discovered. With neither, the caller's own account
 * (GetCallerIdentity) in AWS_REGION.
 */
export async function getScopes(): Promise<Scope[]> {
  const configured = env().scopes;
  if (configured || env().organization) {
    const own = (configured ?? []).flatMap((s) => s.regions.map((region) => ({ account: s.account, region, ...(s.roleArn ? { roleArn: s.roleArn } : {}) })));
    const named = new Set(own.map((s) => s.account));
    return [...own, ...(await discoveredScopes()).filter((s) => !named.has(s.account))];
  }
  const region = env().AWS_REGION;
  if (!region) throw new AppError("config", "no scopes configured and AWS_REGION is not set");
  const state = singleton("fleet:default-scope", () => ({ account: undefined as Promise<string> | undefined }));
  state.account ??= callerAccount(region).catch((e) => {
    state.account = undefined; // try again next time
    throw e;
  });
  return [{ account: await state.account, region }];
}

/**
 * One configured account and the scopes (its configured Regions, in configuration order) through
 * which Tether reaches it. Connections are account-global: they are listed once per account,
 * from the first of these Regions that answers.
 */
export interface AccountScopes {
  account: string;
  scopes: Scope[];
}

export function groupByAccount(scopes: readonly Scope[]): AccountScopes[] {
  const out = new Map<string, Scope[]>();
  for (const s of scopes) {
    const list = out.get(s.account);
    if (list) list.push(s);
    else out.set(s.account, [s]);
  }
  return [...out].map(([account, list]) => ({ account, scopes: list }));
}

export async function getAccounts(): Promise<AccountScopes[]> {
  return groupByAccount(await getScopes());
}

/**
 * How to reach `account` in `region`: the configured scope when there is one, otherwise the
 * account's credentials (its first scope's role) in that Region — for a connection whose home
 * Region is not watched, where AWS applies its mutations. Null when the account is not configured.
 */
export function scopeIn(scopes: readonly Scope[], account: string, region: string): Scope | null {
  const exact = scopes.find((s) => s.account === account && s.region === region);
  if (exact) return exact;
  const any = scopes.find((s) => s.account === account);
  return any ? { account, region, ...(any.roleArn ? { roleArn: any.roleArn } : {}) } : null;
}
