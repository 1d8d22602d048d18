import "server-only";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { env } from "@/lib/env";
import { singleton } from "@/lib/singleton";
import { toAppError } from "./errors";
import { REQUEST_HANDLER } from "./http";

/** Refresh assumed-role credentials this long before they expire. */
const REFRESH_BEFORE_MS = 5 * 60_000;
const SESSION_DURATION_SECONDS = 3600;

function stsClient(region: string): STSClient {
  const clients = singleton("aws:sts-clients", () => new Map<string, STSClient>());
  let client = clients.get(region);
  if (!client) {
    client = new STSClient({ region, endpoint: env().AWS_ENDPOINT_URL, maxAttempts: 3, requestHandler: REQUEST_HANDLER });
    clients.set(region, client);
  }
  return client;
}

/** Counts AssumeRole calls per role (benchmarks and tests read it). */
export const assumeRoleCalls = singleton("aws:assume-role-calls", () => new Map<string, number>());

/**
 * One credential provider per role, shared by every region of that role: it assumes the role
 * once, hands out the same credentials until five minutes before they expire, and coalesces
 * concurrent refreshes into one AssumeRole call.
 */
export function roleCredentials(roleArn: string, stsRegion: string): AwsCredentialIdentityProvider {
  const providers = singleton("aws:role-providers", () => new Map<string, AwsCredentialIdentityProvider>());
  const existing = providers.get(roleArn);
  if (existing) return existing;

  let current: AwsCredentialIdentity | undefined;
  let inflight: Promise<AwsCredentialIdentity> | undefined;

  const refresh = async (): Promise<AwsCredentialIdentity> => {
    assumeRoleCalls.set(roleArn, (assumeRoleCalls.get(roleArn) ?? 0) + 1);
    try {
      const out = await stsClient(stsRegion).send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "tether", DurationSeconds: SESSION_DURATION_SECONDS }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error("AssumeRole returned no credentials");
      current = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      return current;
    } catch (e) {
      throw toAppError(e, `assuming role ${roleArn}`);
    }
  };

  const provider: AwsCredentialIdentityProvider = async () => {
    const fresh = current && (!current.expiration || current.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS);
    if (fresh && current) return current;
    inflight ??= refresh().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };
  providers.set(roleArn, provider);
  return provider;
}

/** The account of the default credentials (GetCallerIdentity), for the default scope. */
export async function callerAccount(region: string): Promise<string> {
  try {
    const out = await stsClient(region).send(new GetCallerIdentityCommand({}));
    if (!out.Account) throw new Error("GetCallerIdentity returned no account");
    return out.Account;
  } catch (e) {
    throw toAppError(e, "finding the caller's account (GetCallerIdentity)");
  }
}
