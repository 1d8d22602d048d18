import type { ExecutionMode, PipelineDeclaration, PipelineType } from "./declaration";
import type { CommitRecord, ExecutionRecord, ExecutionRevision } from "./records";

/**
 * The CodePipeline records as a fixture hands them over (PipelineStore.load): the same data with
 * times as offsets (ms) from the moment of seeding.
 */

export interface FixtureRevision extends Omit<ExecutionRevision, "created"> {
  createdOffsetMs: number;
}

export interface FixtureExecution extends Omit<ExecutionRecord, "seq" | "account" | "region" | "pipelineName" | "startTime" | "revision"> {
  startOffsetMs: number;
  revision?: FixtureRevision;
}

export interface FixturePipeline {
  account: string;
  region: string;
  name: string;
  pipelineType: PipelineType;
  executionMode: ExecutionMode;
  createdOffsetMs: number;
  versions: { declaration: PipelineDeclaration; sinceOffsetMs: number }[];
  /** In any order; sorted on load. */
  executions: FixtureExecution[];
}

export interface FixtureCommit extends Omit<CommitRecord, "time"> {
  offsetMs: number;
}
