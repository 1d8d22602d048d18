import { connectionArn, hostArn, isArnPrefix, parseResourceArn, type ArnPrefix } from "../../arns";
import type { ConnectionRecord, HostRecord, Tag } from "../../model";
import { AwsError } from "../../protocol/errors";
import type { InputReader } from "../../protocol/input";
import { decodeToken } from "../../protocol/pagination";
import type { CallContext } from "../registry";
import type { ConnectionStore } from "./store";

/**
 * Shapes, limits and lookups shared by the CodeStar Connections / CodeConnections operations.
 *
 * Connections are account-global, as in AWS: every Region's endpoint lists and finds all the
 * caller's connections, whatever their home Region (the Region in the ARN, where the connection
 * was created). Hosts are regional: only the Region that holds a host lists or finds it.
 */

/** What the connections operations need of the emulator's state: the CodeConnections store. */
export interface ConnectionsState {
  readonly codeConnections: ConnectionStore;
}

/** Connections per account and home Region (AWS's quota, both ARN prefixes together). */
export const MAX_CONNECTIONS_PER_HOME_REGION = 250;
/** Hosts per account and Region. */
export const MAX_HOSTS_PER_REGION = 50;
export const MAX_PAGE_SIZE = 100;
export const MAX_TAGS = 200;

// Patterns from the service model (botocore codeconnections 2023-12-01).
export const CONNECTION_ARN_PATTERN = /^arn:aws(-[\w]+)*:.+:.+:[0-9]{12}:.+$/;
export const HOST_ARN_PATTERN = /^arn:aws(-[\w]+)*:(codestar-connections|codeconnections):.+:[0-9]{12}:host\/.+$/;
export const RESOURCE_ARN_PATTERN = CONNECTION_ARN_PATTERN;

export function notFound(message: string): AwsError {
  return new AwsError("ResourceNotFoundException", message, 404);
}

export function unavailable(message: string): AwsError {
  return new AwsError("ResourceUnavailableException", message, 400);
}

export function limitExceeded(message: string): AwsError {
  return new AwsError("LimitExceededException", message, 429);
}

export function invalidInput(message: string): AwsError {
  return new AwsError("InvalidInputException", message, 400);
}

/** New resources take the ARN prefix of the endpoint that created them (its signing name). */
export function endpointPrefix(ctx: CallContext<ConnectionsState>): ArnPrefix {
  return isArnPrefix(ctx.signingName) ? ctx.signingName : "codeconnections";
}

export function toConnection(c: ConnectionRecord): object {
  return {
    ConnectionName: c.name,
    ConnectionArn: connectionArn(c),
    ProviderType: c.providerType,
    OwnerAccountId: c.ownerAccountId,
    ConnectionStatus: c.status,
    ...(c.hostArn ? { HostArn: c.hostArn } : {}),
  };
}

export function toHost(h: HostRecord): object {
  return {
    Name: h.name,
    HostArn: hostArn(h),
    ProviderType: h.providerType,
    ProviderEndpoint: h.providerEndpoint,
    ...(h.vpcConfiguration ? { VpcConfiguration: h.vpcConfiguration } : {}),
    Status: h.status,
    ...(h.statusMessage ? { StatusMessage: h.statusMessage } : {}),
  };
}

/**
 * The connection an ARN of either prefix names, from any Region's endpoint: the ARN's account,
 * home Region and UUID must be the connection's, and the account the caller's.
 */
export function findConnection(ctx: CallContext<ConnectionsState>, arn: string): ConnectionRecord {
  const record = ctx.state.codeConnections.connectionByArn(arn);
  if (!record || record.account !== ctx.account) throw notFound(`Connection ${arn} does not exist.`);
  return record;
}

/** The host an ARN of either prefix names, only in the caller's account and Region (hosts are regional). */
export function findHost(ctx: CallContext<ConnectionsState>, arn: string): HostRecord {
  const record = ctx.state.codeConnections.hostByArn(arn);
  if (!record || record.account !== ctx.account || record.region !== ctx.region) throw notFound(`Host ${arn} does not exist.`);
  return record;
}

/** A connection or a host, for the tagging operations. */
export function findTaggable(ctx: CallContext<ConnectionsState>, arn: string): ConnectionRecord | HostRecord {
  const kind = parseResourceArn(arn)?.kind;
  if (kind === "connection") return findConnection(ctx, arn);
  if (kind === "host") return findHost(ctx, arn);
  throw notFound(`Resource ${arn} does not exist.`);
}

export function readTags(r: InputReader, name: string, c: { required?: boolean } = {}): Tag[] | undefined {
  return r.list(
    name,
    (item, at) => {
      const t = r.nested(item, at);
      const Key = t.string("Key", { required: true, min: 1, max: 128 });
      const Value = t.string("Value", { required: true, min: 0, max: 256 });
      return Key !== undefined && Value !== undefined ? { Key, Value } : undefined;
    },
    { ...c, max: MAX_TAGS },
  );
}

/** Existing tags updated by `incoming` (a repeated key takes the last value). */
export function mergeTags(existing: readonly Tag[], incoming: readonly Tag[]): Tag[] {
  const merged = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const t of incoming) merged.set(t.Key, t.Value);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Reads `MaxResults` (0–100; absent or 0 means 100) and `NextToken`, then checks the whole
 * input. An unknown token is a ValidationException.
 */
export function readPage(r: InputReader, kind: string): { pageSize: number; afterSeq?: number } {
  const maxResults = r.integer("MaxResults", { min: 0, max: MAX_PAGE_SIZE });
  const nextToken = r.string("NextToken", { min: 1, max: 1024 });
  r.done();
  const pageSize = maxResults || MAX_PAGE_SIZE;
  if (nextToken === undefined) return { pageSize };
  const afterSeq = decodeToken(nextToken, kind);
  if (afterSeq === undefined) throw new AwsError("ValidationException", "Invalid NextToken: it was not returned by this operation.");
  return { pageSize, afterSeq };
}
