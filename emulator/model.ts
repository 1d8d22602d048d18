import type { ArnPrefix } from "./arns";

/**
 * The emulator's shared domain types: git providers, connections and hosts. The state, the push
 * log, the services, the console pages and the fixtures all speak them; this module imports
 * nothing of theirs.
 */

export const PROVIDER_TYPES = [
  "Bitbucket",
  "GitHub",
  "GitHubEnterpriseServer",
  "GitLab",
  "GitLabSelfManaged",
  "AzureDevOps",
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];
/** Providers that are installed on a host; connections to them need a HostArn. */
export const HOST_PROVIDER_TYPES: readonly ProviderType[] = ["GitHubEnterpriseServer", "GitLabSelfManaged"];

export type ConnectionStatus = "PENDING" | "AVAILABLE" | "ERROR";
export type HostStatus = "PENDING" | "AVAILABLE";

export interface Tag {
  Key: string;
  Value: string;
}

export interface VpcConfiguration {
  VpcId: string;
  SubnetIds: string[];
  SecurityGroupIds: string[];
  TlsCertificate?: string;
}

export interface ConnectionRecord {
  /** Creation order; lists are sorted by it. */
  seq: number;
  uuid: string;
  account: string;
  /** The home Region: where the connection was created, the Region in its ARN. */
  region: string;
  name: string;
  providerType: ProviderType;
  ownerAccountId: string;
  status: ConnectionStatus;
  hostArn?: string;
  prefix: ArnPrefix;
  tags: Tag[];
}

export interface HostRecord {
  seq: number;
  /** Last segment of the host ARN: `<name>-<8 hex>`. */
  id: string;
  account: string;
  region: string;
  name: string;
  providerType: ProviderType;
  providerEndpoint: string;
  status: HostStatus;
  statusMessage?: string;
  vpcConfiguration?: VpcConfiguration;
  prefix: ArnPrefix;
  tags: Tag[];
}

export type NewConnection = Omit<ConnectionRecord, "seq">;
export type NewHost = Omit<HostRecord, "seq">;
