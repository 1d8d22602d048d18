/** Tether's own shapes (DTOs). Nothing here depends on the AWS SDK; lib/aws reshapes into these. */

export const CONNECTION_STATUSES = ["AVAILABLE", "PENDING", "ERROR"] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export const PROVIDERS = ["GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged", "Bitbucket", "AzureDevOps"] as const;
export type Provider = (typeof PROVIDERS)[number];

/** `legacy` = arn:aws:codestar-connections:…, `new` = arn:aws:codeconnections:… */
export const ARN_PREFIXES = ["legacy", "new"] as const;
export type ArnPrefix = (typeof ARN_PREFIXES)[number];

/** One (account, region) Tether watches; reached with default credentials or by assuming `roleArn`. */
export interface Scope {
  account: string;
  region: string;
  roleArn?: string;
}

export interface Connection {
  /** The UUID: last ARN segment. With account and region it identifies the connection under either prefix. */
  id: string;
  arn: string;
  name: string;
  /** Provider type as AWS reports it; unknown future values are kept as-is. */
  provider: string;
  status: string;
  account: string;
  region: string;
  prefix: ArnPrefix;
  ownerAccountId?: string;
  hostArn?: string;
}

export interface Host {
  /** Last segment of the host ARN. */
  id: string;
  arn: string;
  name: string;
  provider: string;
  endpoint: string;
  status: string;
  statusMessage?: string;
  account: string;
  region: string;
  prefix: ArnPrefix;
  vpcId?: string;
}

export interface Tag {
  key: string;
  value: string;
}

export const scopeKey = (s: { account: string; region: string }): string => `${s.account}/${s.region}`;

/** One period of a latency chart, as read from CloudWatch (latencies in milliseconds). */
export interface LatencyPoint {
  t: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  samples: number | null;
  missed: number | null;
}

/** A push judged missed (or "unknown": its filters could not be evaluated), with its pipeline. */
export interface MissedTriggerRow {
  pushId: number;
  state: "missed" | "unknown";
  reason: string;
  detectedAt: string;
  account: string;
  region: string;
  pipeline: string;
  push: { repository: string; branch: string; sha: string; pushedAt: string; provider: string; deliveryId: string };
}
