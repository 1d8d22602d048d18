import type { JsonService } from "../registry";
import { createConnection } from "./create-connection";
import { createHost } from "./create-host";
import { deleteConnection } from "./delete-connection";
import { deleteHost } from "./delete-host";
import { getConnection } from "./get-connection";
import { getHost } from "./get-host";
import { listConnections } from "./list-connections";
import { listHosts } from "./list-hosts";
import { listTagsForResource } from "./list-tags-for-resource";
import { tagResource } from "./tag-resource";
import { untagResource } from "./untag-resource";

/**
 * CodeStar Connections and CodeConnections: one service, one store, reachable through either
 * endpoint (signing name) and either target prefix (short JS SDK form or botocore's long form).
 */
export const connectionsService: JsonService = {
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
};
