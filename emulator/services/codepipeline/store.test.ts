import { describe, expect, it } from "vitest";
import { sourceActionOf, type PipelineDeclaration } from "./declaration";
import type { FixturePipeline } from "./fixture-data";
import type { ExecutionRecord } from "./records";
import { connectionRedirectUrl, revisionSummary } from "./revisions";
import { PipelineStore } from "./store";
import { viewExecution } from "./timing";

const T0 = new Date("2026-11-25T12:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const ARN = "arn:aws:codeconnections:us-east-1:111111111111:connection/00000000-0000-4000-8000-000000000001";

function execution(over: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    seq: 1,
    id: "e",
    account: "111111111111",
    region: "us-east-1",
    pipelineName: "p",
    pipelineVersion: 1,
    startTime: T0,
    stageDurationsMs: [1_000, 3_000, 2_000],
    outcome: "Succeeded",
    trigger: { triggerType: "StartPipelineExecution", triggerDetail: "x" },
    executionMode: "QUEUED",
    ...over,
  };
}

describe("viewExecution", () => {
  it("walks the stages with the clock", () => {
    expect(viewExecution(execution(), at(0.5))).toEqual({
      status: "InProgress",
      lastUpdateTime: T0,
      stages: [{ stageIndex: 0, status: "InProgress", start: T0 }],
    });
    const building = viewExecution(execution(), at(2));
    expect(building.status).toBe("InProgress");
    expect(building.lastUpdateTime).toEqual(at(1));
    expect(building.stages.map((s) => s.status)).toEqual(["Succeeded", "InProgress"]);
    expect(viewExecution(execution(), at(6))).toMatchObject({ status: "Succeeded", lastUpdateTime: at(6) });
    expect(viewExecution(execution(), at(6)).stages.map((s) => [s.status, s.end])).toEqual([
      ["Succeeded", at(1)],
      ["Succeeded", at(4)],
      ["Succeeded", at(6)],
    ]);
  });

  it("fails in the last stage listed", () => {
    const failed = execution({ stageDurationsMs: [1_000, 3_000], outcome: "Failed" });
    expect(viewExecution(failed, at(3)).status).toBe("InProgress");
    const done = viewExecution(failed, at(10));
    expect(done).toMatchObject({ status: "Failed", lastUpdateTime: at(4) });
    expect(done.stages.map((s) => s.status)).toEqual(["Succeeded", "Failed"]);
  });
});

function declaration(name: string, version = 1): PipelineDeclaration {
  return {
    name,
    roleArn: "arn:aws:iam::111111111111:role/r",
    artifactStore: { type: "S3", location: "b" },
    version,
    executionMode: "QUEUED",
    pipelineType: "V2",
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Checkout",
            actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
            configuration: { ConnectionArn: ARN, FullRepositoryId: "acme/app", BranchName: "main", DetectChanges: "false" },
            outputArtifacts: [{ name: "Src" }],
          },
        ],
      },
      { name: "Build", actions: [{ name: "Build", actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" } }] },
    ],
  };
}

function fixture(name: string): FixturePipeline {
  return {
    account: "111111111111",
    region: "us-east-1",
    name,
    pipelineType: "V2",
    executionMode: "QUEUED",
    createdOffsetMs: -10_000,
    versions: [{ declaration: declaration(name), sinceOffsetMs: -10_000 }],
    executions: [],
  };
}

describe("sourceActionOf", () => {
  it("reads the first CodeStarSourceConnection action", () => {
    expect(sourceActionOf(declaration("p"))).toEqual({
      stageName: "Source",
      actionName: "Checkout",
      connectionArn: ARN,
      repository: "acme/app",
      branch: "main",
      detectChanges: false,
      outputArtifact: "Src",
    });
  });
});

describe("PipelineStore", () => {
  const store = (status?: string) => {
    const s = new PipelineStore(() => (status ? { status, providerType: "GitLab" } : undefined));
    s.load({ pipelines: [fixture("b"), fixture("a")], commits: [{ repository: "acme/app", branch: "main", sha: "c1", message: "one", offsetMs: -5_000 }] }, T0);
    return s;
  };

  it("lists pipelines by name and converts offsets to times", () => {
    const s = store();
    expect(s.list("111111111111", "us-east-1").map((p) => p.name)).toEqual(["a", "b"]);
    expect(s.get("111111111111", "us-east-1", "a")?.created).toEqual(at(-10));
    expect(s.latestCommit("acme/app", "main", T0)?.sha).toBe("c1");
    expect(s.latestCommit("acme/app", "main", at(-6))).toBeUndefined();
  });

  it("starts an execution of the newest commit, and fails it in Source without an AVAILABLE connection", () => {
    const ok = store("AVAILABLE");
    const p = ok.get("111111111111", "us-east-1", "a");
    if (!p) throw new Error("no pipeline");
    const e = ok.startExecution(p, { trigger: { triggerType: "StartPipelineExecution", triggerDetail: "me" }, startTime: T0 });
    expect(e.revision).toMatchObject({ actionName: "Checkout", artifactName: "Src", sha: "c1", message: "one", providerType: "GitLab", created: at(-5) });
    expect(e.revision?.revisionUrl).toBe(connectionRedirectUrl("us-east-1", ARN, "acme/app", { commit: "c1" }));
    expect(e.stageDurationsMs).toEqual([1_000, 3_000]);
    expect(ok.executionsOf(p, T0)[0]?.id).toBe(e.id);

    for (const status of [undefined, "PENDING"]) {
      const s = store(status);
      const q = s.get("111111111111", "us-east-1", "a");
      if (!q) throw new Error("no pipeline");
      const failed = s.startExecution(q, { trigger: { triggerType: "StartPipelineExecution", triggerDetail: "me" }, startTime: T0 });
      expect(failed).toMatchObject({ outcome: "Failed", stageDurationsMs: [1_000] });
      expect(failed.revision).toBeUndefined();
      expect(failed.failureMessage).toMatch(status ? /PENDING state/ : /does not exist/);
    }
  });

  it("appends webhook executions, hidden until they start, newest first by start time", () => {
    const s = store("AVAILABLE");
    const p = s.get("111111111111", "us-east-1", "a");
    if (!p) throw new Error("no pipeline");
    const later = s.appendWebhookExecution({ account: "111111111111", region: "us-east-1", pipelineName: "a", sha: "c3", startTime: at(30) });
    const earlier = s.appendWebhookExecution({ account: "111111111111", region: "us-east-1", pipelineName: "a", sha: "c2", startTime: at(10), commitMessage: "two" });
    expect(earlier.trigger).toEqual({ triggerType: "WebhookV2", triggerDetail: ARN });
    expect(s.executionsOf(p, at(20)).map((e) => e.id)).toEqual([earlier.id]);
    expect(s.executionsOf(p, at(40)).map((e) => e.id)).toEqual([later.id, earlier.id]);
    expect(s.findExecution(p, later.id, at(20))).toBeUndefined();
    expect(s.latestCommit("acme/app", "main", at(40))?.sha).toBe("c3");
    expect(revisionSummary({ providerType: "GitLab", message: "two" })).toBe('{"ProviderType":"GitLab","CommitMessage":"two"}');
  });
});
