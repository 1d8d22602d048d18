import "server-only";
import { callerAccount } from "@/lib/aws/credentials";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { singleton } from "@/lib/singleton";
import type { Scope } from "@/lib/types";

/**
 * The scopes Tether watches: TETHER_SCOPES (or its file) expanded to one scope per region, or
 * — when none is configured — the caller's own account (GetCallerIdentity) in AWS_REGION.
 */
export async function getScopes(): Promise<Scope[]> {
  const configured = env().scopes;
  if (configured) {
    return configured.flatMap((s) => s.regions.map((region) => ({ account: s.account, region, ...(s.roleArn ? { roleArn: s.roleArn } : {}) })));
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
