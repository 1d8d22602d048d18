import { randomUUID } from "node:crypto";
import { connectionArn, hostArn } from "../../arns";
import { HOST_PROVIDER_TYPES, PROVIDER_TYPES, type HostRecord, type ProviderType } from "../../model";
import { AwsError } from "../../protocol/errors";
import { InputReader } from "../../protocol/input";
import type { CallContext, JsonHandler } from "../registry";
import {
  endpointPrefix,
  findHost,
  HOST_ARN_PATTERN,
  invalidInput,
  limitExceeded,
  MAX_CONNECTIONS_PER_HOME_REGION,
  mergeTags,
  readTags,
  unavailable,
  type ConnectionsState,
} from "./model";

/**
 * Creates a PENDING connection whose home Region is the caller's: its ARN names that Region,
 * and the quota (250) and name uniqueness count the account's connections of that home Region
 * only, so one account may have same-named connections in two home Regions. Cloud providers take
 * ProviderType; self-managed providers take the HostArn of an AVAILABLE host of the caller's
 * Region (the provider type is the host's).
 */
export const createConnection: JsonHandler<ConnectionsState> = (input, ctx) => {
  const r = new InputReader(input);
  const name = r.string("ConnectionName", { required: true, min: 1, max: 32 }) ?? "";
  const providerType = r.enumValue("ProviderType", PROVIDER_TYPES);
  const hostArnInput = r.string("HostArn", { max: 256, pattern: HOST_ARN_PATTERN });
  const tags = readTags(r, "Tags");
  r.done();

  const { provider, host } = target(ctx, providerType, hostArnInput);
  const sameHome = ctx.state.codeConnections.connectionsHomedIn(ctx.account, ctx.region);
  if (sameHome.length >= MAX_CONNECTIONS_PER_HOME_REGION) {
    throw limitExceeded(
      `Account ${ctx.account} already has ${MAX_CONNECTIONS_PER_HOME_REGION} connections created in ${ctx.region}, the maximum.`,
    );
  }
  if (sameHome.some((c) => c.name === name)) {
    throw new AwsError("ResourceAlreadyExistsException", `A connection named '${name}' already exists in ${ctx.region}.`, 409);
  }

  const record = ctx.state.codeConnections.addConnection({
    uuid: randomUUID(),
    account: ctx.account,
    region: ctx.region,
    name,
    providerType: provider,
    ownerAccountId: ctx.account,
    status: "PENDING",
    hostArn: host ? hostArn(host) : undefined,
    prefix: endpointPrefix(ctx),
    tags: mergeTags([], tags ?? []),
  });
  return { ConnectionArn: connectionArn(record), ...(tags ? { Tags: record.tags } : {}) };
};

/** Exactly one of ProviderType (a cloud provider) or HostArn (an AVAILABLE host) must be given. */
function target(
  ctx: CallContext<ConnectionsState>,
  providerType: ProviderType | undefined,
  hostArnInput: string | undefined,
): { provider: ProviderType; host?: HostRecord } {
  if (providerType !== undefined && hostArnInput === undefined) {
    if (HOST_PROVIDER_TYPES.includes(providerType)) {
      throw invalidInput(`A ${providerType} connection is created through its host: specify HostArn instead of ProviderType.`);
    }
    return { provider: providerType };
  }
  if (hostArnInput !== undefined && providerType === undefined) {
    const host = findHost(ctx, hostArnInput);
    if (host.status !== "AVAILABLE") {
      throw unavailable(`Host ${hostArnInput} is ${host.status}; set it up before creating connections on it.`);
    }
    return { provider: host.providerType, host };
  }
  throw invalidInput("Specify exactly one of ProviderType (cloud providers) or HostArn (self-managed providers).");
}
