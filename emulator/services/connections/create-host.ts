import { randomBytes } from "node:crypto";
import { hostArn } from "../../arns";
import { HOST_PROVIDER_TYPES, PROVIDER_TYPES, type VpcConfiguration } from "../../model";
import { AwsError } from "../../protocol/errors";
import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { endpointPrefix, invalidInput, limitExceeded, MAX_HOSTS_PER_REGION, mergeTags, readTags, type ConnectionsState } from "./model";

/** Creates a PENDING host for a self-managed provider; the console's "Set up host" completes it. */
export const createHost: JsonHandler<ConnectionsState> = (input, ctx) => {
  const r = new InputReader(input);
  const name = r.string("Name", { required: true, min: 1, max: 64 }) ?? "";
  const providerType = r.enumValue("ProviderType", PROVIDER_TYPES, { required: true });
  const endpoint = r.string("ProviderEndpoint", { required: true, min: 1, max: 512 }) ?? "";
  const vpc = readVpcConfiguration(r);
  const tags = readTags(r, "Tags");
  r.done();

  if (providerType === undefined || !HOST_PROVIDER_TYPES.includes(providerType)) {
    throw new AwsError(
      "UnsupportedProviderTypeException",
      `Hosts support only ${HOST_PROVIDER_TYPES.join(" and ")}; got ${providerType}.`,
    );
  }
  if (!isHttpUrl(endpoint)) throw invalidInput(`ProviderEndpoint '${endpoint}' is not an http(s) URL.`);
  if (ctx.state.codeConnections.hostsIn(ctx.account, ctx.region).length >= MAX_HOSTS_PER_REGION) {
    throw limitExceeded(`Account ${ctx.account} already has ${MAX_HOSTS_PER_REGION} hosts in ${ctx.region}, the maximum.`);
  }

  const record = ctx.state.codeConnections.addHost({
    id: `${name.replace(/[^A-Za-z0-9._-]/g, "-")}-${randomBytes(4).toString("hex")}`,
    account: ctx.account,
    region: ctx.region,
    name,
    providerType,
    providerEndpoint: endpoint,
    status: "PENDING",
    vpcConfiguration: vpc,
    prefix: endpointPrefix(ctx),
    tags: mergeTags([], tags ?? []),
  });
  return { HostArn: hostArn(record), ...(tags ? { Tags: record.tags } : {}) };
};

function readVpcConfiguration(r: InputReader): VpcConfiguration | undefined {
  const v = r.struct("VpcConfiguration");
  if (!v) return undefined;
  const VpcId = v.string("VpcId", { required: true, pattern: /^vpc-\w{8}(\w{9})?$/ });
  const SubnetIds = v.strings("SubnetIds", { required: true, min: 1, max: 10 }, { pattern: /^subnet-\w{8}(\w{9})?$/ });
  const SecurityGroupIds = v.strings("SecurityGroupIds", { required: true, min: 1, max: 10 }, { pattern: /^sg-\w{8}(\w{9})?$/ });
  const TlsCertificate = v.string("TlsCertificate", { min: 1, max: 16384 });
  if (VpcId === undefined || SubnetIds === undefined || SecurityGroupIds === undefined) return undefined;
  return { VpcId, SubnetIds, SecurityGroupIds, ...(TlsCertificate !== undefined ? { TlsCertificate } : {}) };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
