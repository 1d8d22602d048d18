import type { CallContext, JsonService } from "../registry";
import { createConnection } from "./create-connection";
import { createHost } from "./create-host";
import { deleteConnection } from "./delete-connection";
import { deleteHost } from "./delete-host";
import { getConnection } from "./get-connection";
import { getHost } from "./get-host";
import { listConnections } from "./list-connections";
import { listHosts } from "./list-hosts";
import { listTagsForResource } from "./list-tags-for-resource";
import type { ConnectionsState } from "./model";
import { tagResource } from "./tag-resource";
import { untagResource } from "./untag-resource";

/**
 * CodeStar Connections and CodeConnections: one service, one store, reachable through either
 * endpoint (signing name) and either target prefix (short JS SDK form or botocore's long form).
 */
export const connectionsService: JsonService<ConnectionsState> = {
  protocol: "json",
  jsonVersion: "1.0",
  targets: [
    { prefix: "CodeStar_connections_20191201", signingName: "codestar-connections" },
    { prefix: "com.amazonaws.codestar.connections.CodeStar_connections_20191201", signingName: "codestar-connections" },
    { prefix: "CodeConnections_20231201", signingName: "codeconnections" },
    { prefix: "com.amazonaws.codeconnections.CodeConnections_20231201", signingName: "codeconnections" },
  ],
  signingNames: ["codestar-connections", "codeconnections"],
  operations: {
    CreateConnection: createConnection,
    CreateHost: createHost,
    DeleteConnection: deleteConnection,
    DeleteHost: deleteHost,
    GetConnection: getConnection,
    GetHost: getHost,
    ListConnections: listConnections,
    ListHosts: listHosts,
    ListTagsForResource: listTagsForResource,
    TagResource: tagResource,
    UntagResource: untagResource,
  },
  mutatingOperations: {
    CreateConnection: (_input, ctx) => scopeResource(ctx, "connection/*"),
    DeleteConnection: (input, ctx) => named(input.ConnectionArn, ctx, "connection/*"),
    CreateHost: (_input, ctx) => scopeResource(ctx, "host/*"),
    DeleteHost: (input, ctx) => named(input.HostArn, ctx, "host/*"),
    TagResource: (input, ctx) => named(input.ResourceArn, ctx, "*"),
    UntagResource: (input, ctx) => named(input.ResourceArn, ctx, "*"),
  },
  // The model's httpError traits.
  errorStatus: { AccessDeniedException: 403, ThrottlingException: 429 },
};

/** `arn:aws:<endpoint>:<region>:<account>:<resource>` in the caller's scope. */
function scopeResource(ctx: CallContext<ConnectionsState>, resource: string): string {
  return `arn:aws:${ctx.signingName}:${ctx.region}:${ctx.account}:${resource}`;
}

/** The ARN the input names, or the scope's wildcard when it names none. */
function named(value: unknown, ctx: CallContext<ConnectionsState>, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : scopeResource(ctx, fallback);
}
