import "server-only";
import { DeleteConnectionCommand, GetConnectionCommand, GetHostCommand, ListTagsForResourceCommand, paginateListConnections, paginateListHosts, type CodeStarConnectionsClient, type Connection as SdkConnection, type Host as SdkHost } from "@aws-sdk/client-codestar-connections";
import { parseConnectionsArn } from "@/lib/arn";
import type { Connection, Host, Scope, Tag } from "@/lib/types";
import { toAppError } from "./errors";

/** AWS caps ListConnections / ListHosts pages at 100: fewest round trips. */
const PAGE_SIZE = 100;

const where = (scope: Scope) => `${scope.account}/${scope.region}`;
const lastSegment = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

export function toConnection(c: SdkConnection, scope: Scope): Connection {
  const arn = c.ConnectionArn ?? "";
  const parsed = parseConnectionsArn(arn);
  return {
    id: parsed?.id ?? lastSegment(arn),
    arn,
    name: c.ConnectionName ?? "",
    provider: c.ProviderType ?? "unknown",
    status: c.ConnectionStatus ?? "unknown",
    account: parsed?.account ?? scope.account,
    region: parsed?.region ?? scope.region,
    prefix: parsed?.prefix ?? (arn.includes(":codeconnections:") ? "new" : "legacy"),
    ...(c.OwnerAccountId ? { ownerAccountId: c.OwnerAccountId } : {}),
    ...(c.HostArn ? { hostArn: c.HostArn } : {}),
  };
}

export function toHost(h: SdkHost & { HostArn?: string }, scope: Scope, arnOverride?: string): Host {
  const arn = arnOverride ?? h.HostArn ?? "";
  const parsed = parseConnectionsArn(arn);
  return {
    id: parsed?.id ?? lastSegment(arn),
    arn,
    name: h.Name ?? "",
    provider: h.ProviderType ?? "unknown",
    endpoint: h.ProviderEndpoint ?? "",
    status: h.Status ?? "unknown",
    ...(h.StatusMessage ? { statusMessage: h.StatusMessage } : {}),
    account: parsed?.account ?? scope.account,
    region: parsed?.region ?? scope.region,
    prefix: parsed?.prefix ?? (arn.includes(":codeconnections:") ? "new" : "legacy"),
    ...(h.VpcConfiguration?.VpcId ? { vpcId: h.VpcConfiguration.VpcId } : {}),
  };
}

/** Every connection of the scope, all pages. */
export async function listConnections(client: CodeStarConnectionsClient, scope: Scope): Promise<Connection[]> {
  const out: Connection[] = [];
  try {
    for await (const page of paginateListConnections({ client, pageSize: PAGE_SIZE }, {})) {
      for (const c of page.Connections ?? []) out.push(toConnection(c, scope));
    }
  } catch (e) {
    throw toAppError(e, `listing connections in ${where(scope)}`);
  }
  return out;
}

/** Every host of the scope, all pages. */
export async function listHosts(client: CodeStarConnectionsClient, scope: Scope): Promise<Host[]> {
  const out: Host[] = [];
  try {
    for await (const page of paginateListHosts({ client, pageSize: PAGE_SIZE }, {})) {
      for (const h of page.Hosts ?? []) out.push(toHost(h, scope));
    }
  } catch (e) {
    throw toAppError(e, `listing hosts in ${where(scope)}`);
  }
  return out;
}

/** One connection, or null when AWS says it does not exist. */
export async function getConnection(client: CodeStarConnectionsClient, scope: Scope, arn: string): Promise<Connection | null> {
  try {
    const out = await client.send(new GetConnectionCommand({ ConnectionArn: arn }));
    return out.Connection ? toConnection(out.Connection, scope) : null;
  } catch (e) {
    const err = toAppError(e, `reading connection ${lastSegment(arn)} in ${where(scope)}`);
    if (err.kind === "not_found") return null;
    throw err;
  }
}

/** One host (GetHost has no ARN in its output, so the one asked for is kept), or null. */
export async function getHost(client: CodeStarConnectionsClient, scope: Scope, arn: string): Promise<Host | null> {
  try {
    const out = await client.send(new GetHostCommand({ HostArn: arn }));
    return toHost(out, scope, arn);
  } catch (e) {
    const err = toAppError(e, `reading host ${lastSegment(arn)} in ${where(scope)}`);
    if (err.kind === "not_found") return null;
    throw err;
  }
}

export async function listTags(client: CodeStarConnectionsClient, scope: Scope, arn: string): Promise<Tag[]> {
  try {
    const out = await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
    return (out.Tags ?? []).map((t) => ({ key: t.Key ?? "", value: t.Value ?? "" }));
  } catch (e) {
    throw toAppError(e, `reading tags of ${lastSegment(arn)} in ${where(scope)}`);
  }
}

export async function deleteConnection(client: CodeStarConnectionsClient, scope: Scope, arn: string): Promise<void> {
  try {
    await client.send(new DeleteConnectionCommand({ ConnectionArn: arn }));
  } catch (e) {
    throw toAppError(e, `deleting connection ${lastSegment(arn)} in ${where(scope)}`);
  }
}
