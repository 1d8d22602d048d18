import type { NewConnection, NewHost } from "./model";
import type { FixturePush } from "./push-log";
import type { FixtureMetricDatum } from "./services/cloudwatch/store";
import type { FixtureCommit, FixturePipeline } from "./services/codepipeline/fixture-data";

/**
 * What a fixture hands the emulator (`EmulatorState.load`, on start and on every seed or reset):
 * the resources of every service, the pushes already delivered, and the push simulator's
 * settings. Times are offsets (ms) from the moment of seeding. The fixtures themselves live in
 * fixtures/; nothing at run time imports them.
 */

export type FixtureName = "demo" | "large" | "empty";
export const FIXTURE_NAMES: readonly FixtureName[] = ["demo", "large", "empty"];

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
