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

/** How complete a listing is: shown on every page that lists AWS resources. */
export interface ListingSummary {
  ok: boolean;
  error: string | null;
  /** When its rows were listed completely (ISO); null if never. */
  asOf: string | null;
  checkedAt: string;
  /** The rows shown are from an earlier complete listing (the last attempt failed). */
  stale: boolean;
}

/** An account's connections (account-global), listed through one of its configured Regions. */
export interface AccountSummary extends ListingSummary {
  account: string;
  viaRole: boolean;
  /** Configured Regions, in the order they are tried. */
  regions: string[];
  /** The Region whose endpoint gave the rows shown. */
  answeredBy: string | null;
  /** Regions that failed in the last attempt. */
  failedRegions: { region: string; message: string }[];
  connections: number;
  byStatus: Record<string, number>;
  /** Home Regions of its connections that no scope watches (their hosts and pipelines are not listed). */
  unwatchedHomeRegions: string[];
}

/** One account × Region: its hosts (listed there) and its pipelines (mapped there). */
export interface ScopeSummary extends ListingSummary {
  key: string;
  account: string;
  region: string;
  viaRole: boolean;
  hosts: number;
  /** Connections whose home Region this is. */
  homeConnections: number;
  /** Pipelines mapped in this scope; null before its first complete map. */
  pipelines: number | null;
}

/** A listing that failed, for the error banner. */
export interface ListingProblem {
  /** `<account>` (its connections) or `<account>/<region>` (its hosts). */
  key: string;
  what: string;
  error: string;
  asOf: string | null;
  stale: boolean;
}

/** Every listing's health: accounts (connections) and scopes (hosts and pipelines). */
export interface FleetHealth {
  accounts: AccountSummary[];
  scopes: ScopeSummary[];
  problems: ListingProblem[];
}

export interface ConnectionRow extends Connection {
  /** Name of the host (self-managed providers), when known. */
  hostName?: string;
  /** When the current status was first seen (ISO), from Tether's history; null when unknown. */
  statusSince: string | null;
  /** Set when its account's latest connection listing failed: the status is only known as of this time. */
  unknownSince: string | null;
  /** Whether a configured scope watches its home Region (the Region in its ARN, where AWS applies changes to it). */
  homeRegionWatched: boolean;
  /** Pipelines whose source actions use it (from the pipeline map); null before every scope of its account was mapped. */
  pipelines: number | null;
}

export type ResourceKind = "connection" | "host";

export interface HistoryEntry {
  seq: number;
  kind: ResourceKind;
  account: string;
  region: string;
  id: string;
  name: string;
  fromStatus: string | null;
  /** A status, or DELETED when a complete listing no longer had it. */
  toStatus: string;
  at: string;
  /** Recorded by the first complete listing of its account (hosts: account × Region): the state Tether found, not a change. */
  initial: boolean;
}
