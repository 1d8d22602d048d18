import "server-only";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { CodeStarConnectionsClient } from "@aws-sdk/client-codestar-connections";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { env } from "@/lib/env";
import { singleton } from "@/lib/singleton";
import { scopeKey, type Scope } from "@/lib/types";
import { roleCredentials } from "./credentials";
import { REQUEST_HANDLER } from "./http";

/**
 * One set of SDK clients per scope (account × region). The endpoint comes from
 * AWS_ENDPOINT_URL when set (the emulator), else the SDK's default for the region. Scopes with
 * a role share that role's cached credentials; the others use the default credential chain.
 */
export interface ScopeClients {
  connections: CodeStarConnectionsClient;
  pipelines: CodePipelineClient;
  cloudwatch: CloudWatchClient;
}

function credentialsFor(scope: Scope): AwsCredentialIdentityProvider | undefined {
  if (!scope.roleArn) return undefined;
  return roleCredentials(scope.roleArn, env().AWS_REGION ?? scope.region);
}

export function clientsFor(scope: Scope): ScopeClients {
  const all = singleton("aws:scope-clients", () => new Map<string, ScopeClients>());
  const key = `${scopeKey(scope)}|${scope.roleArn ?? ""}`;
  let clients = all.get(key);
  if (!clients) {
    const config = { region: scope.region, endpoint: env().AWS_ENDPOINT_URL, credentials: credentialsFor(scope), maxAttempts: 3, requestHandler: REQUEST_HANDLER };
    clients = { connections: new CodeStarConnectionsClient(config), pipelines: new CodePipelineClient(config), cloudwatch: new CloudWatchClient(config) };
    all.set(key, clients);
  }
  return clients;
}

/**
 * The EventBridge client of the scope an event bus lives in (its credentials or role); one per
 * scope, made when first needed: only the event bus channel uses EventBridge.
 */
export function eventBridgeClient(scope: Scope): EventBridgeClient {
  const all = singleton("aws:eventbridge-clients", () => new Map<string, EventBridgeClient>());
  const key = `${scopeKey(scope)}|${scope.roleArn ?? ""}`;
  let client = all.get(key);
  if (!client) {
    client = new EventBridgeClient({ region: scope.region, endpoint: env().AWS_ENDPOINT_URL, credentials: credentialsFor(scope), maxAttempts: 3, requestHandler: REQUEST_HANDLER });
    all.set(key, client);
  }
  return client;
}
