import { parseResourceArn, type ArnPrefix } from "./arns";
import { FaultRules } from "./faults";
import { MetricStore, type Dimension } from "./metric-store";
import { PipelineStore, type FixtureCommit, type FixturePipeline } from "./pipeline-state";
import { PushLog, type FixturePush } from "./pushes/log";

/** In-memory state of the emulator: one instance per running server. */

export type FixtureName = "demo" | "large" | "empty";
export const FIXTURE_NAMES: readonly FixtureName[] = ["demo", "large", "empty"];

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

export interface FixtureData {
  name: FixtureName;
  /** Accounts AssumeRole may enter. */
  accounts: readonly string[];
  hosts: NewHost[];
  connections: NewConnection[];
  /** CodePipeline pipelines with their executions; times are offsets from the moment of seeding. */
  pipelines: FixturePipeline[];
  /** Commits known per repository branch (the newest is what StartPipelineExecution builds). */
  commits: FixtureCommit[];
  /** CloudWatch datums (raw values), times as offsets from the moment of seeding. */
  metrics?: FixtureMetricDatum[];
  /** Pushes the git providers delivered (the demo's latency history). */
  pushes?: FixturePush[];
}

export interface FixtureMetricDatum {
  /** `account/region` */
  scope: string;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  unit: string;
  offsetMs: number;
  values: number[];
  counts: number[];
}

type Counts = Map<string, Map<string, number>>;

export interface StatsSnapshot {
  calls: Record<string, Record<string, number>>;
  byScope: Record<string, Record<string, Record<string, number>>>;
}

/** Counts AWS calls by signing name and operation, overall and per `account/region` scope. */
export class CallStats {
  private calls: Counts = new Map();
  private byScope = new Map<string, Counts>();

  count(signingName: string, operation: string, scope?: { account: string; region: string }): void {
    bump(this.calls, signingName, operation);
    if (!scope) return;
    const key = `${scope.account}/${scope.region}`;
    let counts = this.byScope.get(key);
    if (!counts) this.byScope.set(key, (counts = new Map()));
    bump(counts, signingName, operation);
  }

  reset(): void {
    this.calls.clear();
    this.byScope.clear();
  }

  snapshot(): StatsSnapshot {
    return {
      calls: countsToObject(this.calls),
      byScope: Object.fromEntries([...this.byScope].map(([scope, counts]) => [scope, countsToObject(counts)])),
    };
  }
}

function bump(counts: Counts, signingName: string, operation: string): void {
  let ops = counts.get(signingName);
  if (!ops) counts.set(signingName, (ops = new Map()));
  ops.set(operation, (ops.get(operation) ?? 0) + 1);
}

function countsToObject(counts: Counts): Record<string, Record<string, number>> {
  return Object.fromEntries([...counts].map(([name, ops]) => [name, Object.fromEntries(ops)]));
}

export class EmulatorState {
  fixture: FixtureName = "empty";
  accounts = new Set<string>();
  /**
   * Every connection of every account, by UUID; insertion order is creation order. Connections
   * are account-global: `region` on a record is its home Region (where it was created, the
   * Region in its ARN), not a Region it is confined to.
   */
  connections = new Map<string, ConnectionRecord>();
  /** By host id (last ARN segment). Hosts are regional: each lives in one account and Region. */
  hosts = new Map<string, HostRecord>();
  /** CodePipeline: pipelines, executions, commits (pipeline-state.ts). */
  readonly pipelines = new PipelineStore((arn) => this.connectionByArn(arn));
  /** CloudWatch metrics per scope (metric-store.ts). */
  readonly metrics = new MetricStore();
  /** Pushes: the fixture's delivered history and the push simulator's (pushes/log.ts). */
  readonly pushes = new PushLog();
  /** Injected faults (faults.ts); cleared by every seed and reset. */
  readonly faults = new FaultRules();
  stats = new CallStats();
  /** Bumped by every seed and reset, so timers started before one (push simulator events) know to stop. */
  generation = 0;
  /** Added to the wall clock; tests move time forward (for example to expire credentials). */
  clockOffsetMs = 0;
  private seq = 0;

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  /** Replaces all state with the fixture, zeroes the counters and clears the faults. */
  load(data: FixtureData): void {
    this.fixture = data.name;
    this.generation++;
    this.accounts = new Set(data.accounts);
    this.connections.clear();
    this.hosts.clear();
    this.stats.reset();
    this.faults.clear();
    this.clockOffsetMs = 0;
    this.seq = 0;
    for (const h of data.hosts) this.addHost(h);
    for (const c of data.connections) this.addConnection(c);
    const now = this.now();
    this.pipelines.load(data, now);
    this.metrics.clear();
    for (const m of data.metrics ?? []) {
      const t = now.getTime() + m.offsetMs;
      const id = { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions };
      this.metrics.put(m.scope, id, { t: Math.floor(t / 60_000) * 60_000, unit: m.unit, values: m.values, counts: m.counts, highResolution: false }, t);
    }
    this.pushes.load(data.pushes ?? [], now);
  }

  /**
   * The connection an ARN of either prefix names: the account, home Region and UUID in the ARN
   * must all be the connection's. Connections are account-global (AWS replicates them to every
   * Region), so the caller's Region plays no part: a pipeline in any Region finds a connection of
   * any home Region of its account this way.
   */
  connectionByArn(arn: string): ConnectionRecord | undefined {
    const ref = parseResourceArn(arn);
    const record = ref?.kind === "connection" ? this.connections.get(ref.id) : undefined;
    return record && ref && record.account === ref.account && record.region === ref.region ? record : undefined;
  }

  /** The host an ARN of either prefix names, when its account, Region and id are all the host's. */
  hostByArn(arn: string): HostRecord | undefined {
    const ref = parseResourceArn(arn);
    const record = ref?.kind === "host" ? this.hosts.get(ref.id) : undefined;
    return record && ref && record.account === ref.account && record.region === ref.region ? record : undefined;
  }

  addConnection(c: NewConnection): ConnectionRecord {
    const record = { ...c, seq: ++this.seq };
    this.connections.set(record.uuid, record);
    return record;
  }

  addHost(h: NewHost): HostRecord {
    const record = { ...h, seq: ++this.seq };
    this.hosts.set(record.id, record);
    return record;
  }

  /**
   * Every connection of an account, of every home Region and both ARN prefixes, in creation
   * order: what ListConnections answers in any Region.
   */
  connectionsOf(account: string): ConnectionRecord[] {
    return [...this.connections.values()].filter((c) => c.account === account);
  }

  /** The account's connections whose home Region (the Region in their ARN) is `region`. */
  connectionsHomedIn(account: string, region: string): ConnectionRecord[] {
    return [...this.connections.values()].filter((c) => c.account === account && c.region === region);
  }

  /** The connections installed on a host (a host's connections share its account and Region). */
  connectionsOnHost(host: HostRecord): ConnectionRecord[] {
    return [...this.connections.values()].filter((c) => c.hostArn !== undefined && this.hostByArn(c.hostArn) === host);
  }

  /** Hosts are regional: the hosts of one account in one Region. */
  hostsIn(account: string, region: string): HostRecord[] {
    return [...this.hosts.values()].filter((h) => h.account === account && h.region === region);
  }
}
