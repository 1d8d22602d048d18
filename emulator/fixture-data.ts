import type { NewConnection, NewHost } from "./model";
import type { FixturePush } from "./push-log";
import type { FixtureMetricDatum } from "./services/cloudwatch/store";
import type { FixtureRegions } from "./services/account/store";
import type { FixtureCommit, FixturePipeline } from "./services/codepipeline/fixture-data";
import type { FixtureOrganization } from "./services/organizations/store";

/**
 * What a fixture hands the emulator (`EmulatorState.load`, on start and on every seed or reset):
 * the resources of every service, the pushes already delivered, and the push simulator's
 * settings. Times are offsets (ms) from the moment of seeding. The fixtures themselves live in
 * fixtures/; nothing at run time imports them.
 */

export type FixtureName = "demo" | "large" | "empty" | "org";
export const FIXTURE_NAMES: readonly FixtureName[] = ["demo", "large", "empty", "org"];

/**
 * The Regions of every fixture without its own (`FixtureData.regions`): the four Regions the
 * fixtures use are default Regions (ENABLED_BY_DEFAULT in every account), and four opt-in Regions
 * are DISABLED everywhere.
 */
export const DEFAULT_FIXTURE_REGIONS: FixtureRegions = {
  partition: [
    { name: "us-east-1", optIn: false },
    { name: "eu-west-1", optIn: false },
    { name: "ap-southeast-2", optIn: false },
    { name: "us-west-2", optIn: false },
    { name: "ap-southeast-4", optIn: true },
    { name: "eu-central-2", optIn: true },
    { name: "me-central-1", optIn: true },
    { name: "ca-west-1", optIn: true },
  ],
  optIns: {},
};

/** How the push simulator's background pushes behave with this fixture (BEHAVIOR.md §13). */
export interface PushSimulatorSettings {
  /** Share of background pushes that are dropped (missed triggers); default 0.05. */
  dropShare?: number;
  /** Connections every background push through which is dropped (the demo's missed-trigger connection). */
  dropAllOn?: readonly { account: string; region: string; connection: string }[];
}

/**
 * The connection the demo flips between AVAILABLE and ERROR (`--status-flip-minutes`, status-flip.ts),
 * so that Tether's alerts fire and resolve while someone watches. Only the demo names one.
 */
export interface StatusFlipSettings {
  account: string;
  region: string;
  connection: string;
}

export interface FixtureData {
  name: FixtureName;
  /** Accounts AssumeRole may enter. */
  accounts: readonly string[];
  /**
   * The IAM roles of some accounts: AssumeRole into one of these accounts succeeds only for a
   * role named here. An account of `accounts` not named here accepts any role name.
   */
  roles?: Readonly<Record<string, readonly string[]>>;
  /** AWS Organizations: absent, no organization (every Organizations call: AWSOrganizationsNotInUseException). */
  organization?: FixtureOrganization;
  /** The partition's Regions and the accounts' opt-ins (Account Management ListRegions); absent: DEFAULT_FIXTURE_REGIONS. */
  regions?: FixtureRegions;
  hosts: NewHost[];
  connections: NewConnection[];
  /** CodePipeline pipelines with their executions. */
  pipelines: FixturePipeline[];
  /** Commits known per repository branch (the newest is what StartPipelineExecution builds). */
  commits: FixtureCommit[];
  /** CloudWatch datums (raw values). */
  metrics?: FixtureMetricDatum[];
  /** Pushes the git providers delivered (the demo's latency history). */
  pushes?: FixturePush[];
  /** Absent: the simulator's defaults. */
  pushSimulator?: PushSimulatorSettings;
  /** Absent: `--status-flip-minutes` flips nothing. */
  statusFlip?: StatusFlipSettings;
}
