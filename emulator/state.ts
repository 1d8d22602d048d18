import { FaultRules } from "./faults";
import { DEFAULT_FIXTURE_REGIONS, type FixtureData, type FixtureName, type PushSimulatorSettings, type StatusFlipSettings } from "./fixture-data";
import { PushLog } from "./push-log";
import { RegionStore } from "./services/account/store";
import { MetricStore } from "./services/cloudwatch/store";
import { PipelineStore } from "./services/codepipeline/store";
import { ConnectionStore } from "./services/connections/store";
import { OrganizationStore } from "./services/organizations/store";
import { Sinks } from "./sinks";

/**
 * In-memory state of the emulator: one instance per running server. Each service keeps its state
 * in its own store (services/<svc>/store.ts); this holds one of each, the push log, the injected
 * faults and the call counts, and loads them all from a fixture.
 */

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
  /** Accounts AssumeRole may enter (STS). */
  accounts = new Set<string>();
  /** Accounts whose roles are known: only those role names may be assumed there (others: any). */
  roles = new Map<string, ReadonlySet<string>>();
  /** AWS Organizations: the organization, if the fixture has one (services/organizations/store.ts). */
  readonly organization = new OrganizationStore();
  /** Account Management: the partition's Regions and every account's opt-ins (services/account/store.ts). */
  readonly regions = new RegionStore();
  /** CodeConnections: account-global connections and regional hosts (services/connections/store.ts). */
  readonly codeConnections = new ConnectionStore();
  /** CodePipeline: pipelines, executions, commits (services/codepipeline/store.ts). */
  readonly pipelines = new PipelineStore((arn) => this.codeConnections.connectionByArn(arn));
  /** CloudWatch metrics per scope (services/cloudwatch/store.ts). */
  readonly metrics = new MetricStore();
  /** Pushes: the fixture's delivered history and the push simulator's (push-log.ts). */
  readonly pushes = new PushLog();
  /** What the fixture tells the push simulator (fixture-data.ts); empty: its defaults. */
  pushSimulator: PushSimulatorSettings = {};
  /** Injected faults (faults.ts); cleared by every seed and reset. */
  readonly faults = new FaultRules();
  /** Notification sinks (sinks.ts): what Tether's channels delivered; emptied by every seed and reset. */
  readonly sinks = new Sinks();
  /** The connection `--status-flip-minutes` flips (status-flip.ts); absent: nothing flips. */
  statusFlip: StatusFlipSettings | undefined;
  stats = new CallStats();
  /** Bumped by every seed and reset, so timers started before one (push simulator events) know to stop. */
  generation = 0;
  /** Added to the wall clock; tests move time forward (for example to expire credentials). */
  clockOffsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  /** Replaces all state with the fixture, zeroes the counters, clears the faults and empties the sinks. */
  load(data: FixtureData): void {
    this.fixture = data.name;
    this.generation++;
    this.accounts = new Set(data.accounts);
    this.roles = new Map(Object.entries(data.roles ?? {}).map(([account, names]) => [account, new Set(names)]));
    this.stats.reset();
    this.faults.clear();
    this.sinks.clearAll();
    this.clockOffsetMs = 0;
    this.codeConnections.load(data);
    const now = this.now();
    this.organization.load(data.organization, now);
    this.regions.load(data.regions ?? DEFAULT_FIXTURE_REGIONS);
    this.pipelines.load(data, now);
    this.metrics.load(data.metrics ?? [], now);
    this.pushes.load(data.pushes ?? [], now);
    this.pushSimulator = data.pushSimulator ?? {};
    this.statusFlip = data.statusFlip;
  }
}
