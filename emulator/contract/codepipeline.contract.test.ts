import {
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  ListPipelinesCommand,
  paginateListPipelineExecutions,
  paginateListPipelines,
  PipelineExecutionNotFoundException,
  PipelineNotFoundException,
  PipelineVersionNotFoundException,
  StartPipelineExecutionCommand,
  type CodePipelineClient,
  type PipelineDeclaration,
  type PipelineExecutionSummary,
} from "@aws-sdk/client-codepipeline";
import {
  CreateConnectionCommand,
  DeleteConnectionCommand,
  GetConnectionCommand,
  ListConnectionsCommand,
  TagResourceCommand,
} from "@aws-sdk/client-codestar-connections";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KNOWN_ACCOUNTS, REGIONS } from "../accounts";
import { DELETED_CONNECTION_UUID, DEMO_CASES, DEMO_PIPELINE_CASES, type DemoPipelineCase } from "../fixtures";
import type { RunningEmulator } from "../server";
import {
  codeConnectionsClient,
  codePipelineClient,
  connectionsClient,
  control,
  fakeAuthorization,
  rawJson,
  rawQuery,
  rejection,
  startTestEmulator,
  stsClient,
} from "./helpers";

/** CodePipeline (AWS JSON 1.1) with the real @aws-sdk/client-codepipeline, the read-only-role policy and fault injection. */

let emulator: RunningEmulator;
let client: CodePipelineClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = codePipelineClient(emulator);
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
});

const HOUR = 3_600_000;

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

async function assume(roleArn: string, session = "tether"): Promise<Creds> {
  const out = await stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: session }));
  return {
    accessKeyId: out.Credentials?.AccessKeyId ?? "",
    secretAccessKey: out.Credentials?.SecretAccessKey ?? "",
    sessionToken: out.Credentials?.SessionToken,
  };
}

const READ_ONLY_ROLE = "arn:aws:iam::222222222222:role/TetherReadOnly";

/** A client for a case's scope (222222222222 through the read-only role). */
async function clientFor(c: { account: string; region: string }): Promise<CodePipelineClient> {
  if (c.account === "111111111111") return codePipelineClient(emulator, { region: c.region });
  return codePipelineClient(emulator, { region: c.region, credentials: await assume(READ_ONLY_ROLE) });
}

async function pipelineNames(c: CodePipelineClient, pageSize?: number): Promise<{ names: string[]; pages: number; tokens: (string | undefined)[] }> {
  const names: string[] = [];
  const tokens: (string | undefined)[] = [];
  for await (const page of paginateListPipelines({ client: c, ...(pageSize ? { pageSize } : {}) }, {})) {
    names.push(...(page.pipelines ?? []).map((p) => p.name ?? ""));
    tokens.push(page.nextToken);
  }
  return { names, pages: tokens.length, tokens };
}

async function executions(c: CodePipelineClient, pipelineName: string, pageSize?: number): Promise<PipelineExecutionSummary[]> {
  const out: PipelineExecutionSummary[] = [];
  for await (const page of paginateListPipelineExecutions({ client: c, ...(pageSize ? { pageSize } : {}) }, { pipelineName })) {
    out.push(...(page.pipelineExecutionSummaries ?? []));
  }
  return out;
}

async function declaration(c: DemoPipelineCase, version?: number): Promise<PipelineDeclaration> {
  const out = await (await clientFor(c)).send(new GetPipelineCommand({ name: c.name, version }));
  if (!out.pipeline) throw new Error("no pipeline");
  return out.pipeline;
}

function sourceConfig(d: PipelineDeclaration): Record<string, string> {
  const action = d.stages?.[0]?.actions?.find((a) => a.actionTypeId?.provider === "CodeStarSourceConnection");
  return action?.configuration ?? {};
}

const isWebhook = (e: PipelineExecutionSummary) => e.trigger?.triggerType === "Webhook" || e.trigger?.triggerType === "WebhookV2";
const ageMs = (e: PipelineExecutionSummary) => Date.now() - (e.startTime?.getTime() ?? 0);

describe("ListPipelines", () => {
  it("lists the caller's pipelines of its region, sorted by name, with the summary fields", async () => {
    const out = await client.send(new ListPipelinesCommand({}));
    const names = (out.pipelines ?? []).map((p) => p.name);
    expect(names.length).toBe(20);
    expect(names).toEqual([...names].sort());
    expect(out.nextToken).toBeUndefined();
    const web = out.pipelines?.find((p) => p.name === "web-frontend");
    expect(web).toMatchObject({ name: "web-frontend", version: 3, pipelineType: "V2", executionMode: "QUEUED" });
    expect(web?.created).toBeInstanceOf(Date);
    expect(web?.updated?.getTime()).toBeGreaterThan(web?.created?.getTime() ?? Infinity);
    expect(out.pipelines?.find((p) => p.name === "design-system")).toMatchObject({ pipelineType: "V1", executionMode: "SUPERSEDED" });
  });

  it.each([1, 7, 100, undefined])("pages with maxResults %s: the same pipelines, the token omitted on the last page", async (pageSize) => {
    const all = await pipelineNames(client);
    const paged = await pipelineNames(client, pageSize);
    expect(paged.names).toEqual(all.names);
    expect(paged.pages).toBe(Math.max(1, Math.ceil(20 / (pageSize ?? 100))));
    expect(paged.tokens.at(-1)).toBeUndefined();
    expect(paged.tokens.slice(0, -1).every((t) => typeof t === "string" && t.length > 0)).toBe(true);
  });

  it("is scoped by account and region", async () => {
    const counts: number[] = [];
    for (const region of REGIONS) {
      counts.push((await pipelineNames(codePipelineClient(emulator, { region }))).names.length);
      counts.push((await pipelineNames(await clientFor({ account: "222222222222", region }))).names.length);
    }
    expect(counts).toEqual([20, 7, 7, 4, 4, 3]);
    expect(counts.reduce((a, b) => a + b)).toBe(45);
  });

  it.each([0, 1001])("refuses maxResults %s with ValidationException", async (maxResults) => {
    const err = await rejection(client.send(new ListPipelinesCommand({ maxResults })));
    expect(err.name).toBe("ValidationException");
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toMatch(/at 'maxResults' failed to satisfy constraint/);
  });

  it("refuses a token it did not issue with InvalidNextTokenException", async () => {
    const err = await rejection(client.send(new ListPipelinesCommand({ nextToken: "bm9wZQ" })));
    expect(err.name).toBe("InvalidNextTokenException");
    const executionsPage = await client.send(new ListPipelineExecutionsCommand({ pipelineName: "web-frontend", maxResults: 1 }));
    const other = await rejection(client.send(new ListPipelinesCommand({ nextToken: executionsPage.nextToken })));
    expect(other.name).toBe("InvalidNextTokenException");
  });

  it("pages the large fixture: 100 pipelines in every scope", async () => {
    const seeded = await control(emulator, "POST", "/_emulator/seed", { fixture: "large" });
    expect(seeded.json).toMatchObject({ pipelines: 600 });
    const byDefault = await pipelineNames(client);
    expect(byDefault).toMatchObject({ pages: 1 });
    expect(byDefault.names).toHaveLength(100);
    const bySeven = await pipelineNames(client, 7);
    expect(bySeven.pages).toBe(15);
    expect(bySeven.names).toEqual(byDefault.names);
    expect((await pipelineNames(await clientFor({ account: "222222222222", region: "ap-southeast-2" }))).names).toHaveLength(100);
  });
});

describe("GetPipeline", () => {
  it("returns a V2 declaration in the model's shape, with metadata", async () => {
    const out = await client.send(new GetPipelineCommand({ name: "web-frontend" }));
    const p = out.pipeline;
    expect(p).toMatchObject({ name: "web-frontend", version: 3, pipelineType: "V2", executionMode: "QUEUED" });
    expect(p?.roleArn).toMatch(/^arn:aws:iam::111111111111:role\/service-role\//);
    expect(p?.artifactStore).toMatchObject({ type: "S3", location: expect.stringMatching(/^codepipeline-us-east-1-\d{12}$/) });
    expect(p?.stages?.map((s) => s.name)).toEqual(["Source", "Build", "Deploy"]);
    expect(p?.stages?.[0]?.actions?.[0]).toEqual({
      name: "Source",
      actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
      runOrder: 1,
      configuration: {
        ConnectionArn: DEMO_CASES.sharedConnection.arn,
        FullRepositoryId: "acme/web-frontend",
        BranchName: "main",
        OutputArtifactFormat: "CODE_ZIP",
        DetectChanges: "true",
      },
      outputArtifacts: [{ name: "SourceArtifact" }],
      inputArtifacts: [],
      namespace: "SourceVariables",
      region: "us-east-1",
    });
    expect(p?.stages?.[1]?.actions?.[0]).toMatchObject({
      actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
      configuration: { ProjectName: "web-frontend-build" },
      inputArtifacts: [{ name: "SourceArtifact" }],
    });
    expect(p?.stages?.[2]?.actions?.[0]?.actionTypeId).toMatchObject({ category: "Deploy", provider: "S3" });
    expect(p?.variables).toEqual([{ name: "DEPLOY_ENV", defaultValue: "prod", description: "Target environment" }]);
    expect(p?.triggers).toEqual([
      { providerType: "CodeStarSourceConnection", gitConfiguration: { sourceActionName: "Source", push: [{ branches: { includes: ["main"] } }] } },
    ]);
    expect(out.metadata?.pipelineArn).toBe("arn:aws:codepipeline:us-east-1:111111111111:web-frontend");
    expect(out.metadata?.created).toBeInstanceOf(Date);
    expect(out.metadata?.updated?.getTime()).toBeGreaterThan(out.metadata?.created?.getTime() ?? Infinity);
  });

  it("returns a V1 declaration without triggers or variables", async () => {
    const p = (await client.send(new GetPipelineCommand({ name: "design-system" }))).pipeline;
    expect(p).toMatchObject({ pipelineType: "V1", executionMode: "SUPERSEDED", version: 1 });
    expect(p?.triggers).toBeUndefined();
    expect(p?.variables).toBeUndefined();
  });

  it("returns an earlier version when asked; an unknown version is PipelineVersionNotFoundException", async () => {
    const c = DEMO_PIPELINE_CASES.triggerExcludesBranch;
    const v1 = await declaration(c, 1);
    const v2 = await declaration(c, 2);
    expect(v1.version).toBe(1);
    expect(v1.triggers?.[0]?.gitConfiguration?.push?.[0]?.branches?.includes).toEqual(["main"]);
    expect(v2.triggers?.[0]?.gitConfiguration?.push?.[0]?.branches?.includes).toEqual(["release/**"]);
    const err = await rejection(client.send(new GetPipelineCommand({ name: c.name, version: 3 })));
    expect(err).toBeInstanceOf(PipelineVersionNotFoundException);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect((await rejection(client.send(new GetPipelineCommand({ name: c.name, version: 0 })))).name).toBe("ValidationException");
  });

  it("answers PipelineNotFoundException for an unknown name and ValidationException for a bad one", async () => {
    const err = await rejection(client.send(new GetPipelineCommand({ name: "no-such-pipeline" })));
    expect(err).toBeInstanceOf(PipelineNotFoundException);
    expect(err.message).toBe("Account '111111111111' does not have a pipeline with name 'no-such-pipeline'");
    expect(err.$metadata.httpStatusCode).toBe(400);
    // A pipeline of another region or account is not found either.
    expect(await rejection(client.send(new GetPipelineCommand({ name: "storefront" })))).toBeInstanceOf(PipelineNotFoundException);
    const bad = await rejection(client.send(new GetPipelineCommand({ name: "has space" })));
    expect(bad.name).toBe("ValidationException");
    expect(bad.message).toMatch(/Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  });
});

describe("ListPipelineExecutions", () => {
  it("lists executions newest first with the summary fields", async () => {
    const list = await executions(client, "web-frontend");
    expect(list.length).toBeGreaterThan(5);
    const starts = list.map((e) => e.startTime?.getTime() ?? 0);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    for (const e of list) {
      expect(e.pipelineExecutionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(["Succeeded", "Failed", "InProgress"]).toContain(e.status);
      expect(e.lastUpdateTime?.getTime()).toBeGreaterThanOrEqual(e.startTime?.getTime() ?? Infinity);
      expect(e).toMatchObject({ executionMode: "QUEUED", executionType: "STANDARD" });
    }
    // The newest is still running (a push 3 minutes before seeding); the oldest is the creation.
    expect(list[0]?.status).toBe("InProgress");
    expect(list.at(-1)?.trigger?.triggerType).toBe("CreatePipeline");
    const webhook = list.find(isWebhook);
    expect(webhook?.trigger).toEqual({ triggerType: "WebhookV2", triggerDetail: DEMO_CASES.sharedConnection.arn });
    const revision = webhook?.sourceRevisions?.[0];
    expect(revision).toMatchObject({ actionName: "Source", revisionId: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(JSON.parse(revision?.revisionSummary ?? "{}")).toEqual({ ProviderType: "GitHub", CommitMessage: expect.any(String) });
    expect(revision?.revisionUrl).toContain(`Commit=${revision?.revisionId}`);
    expect(revision?.revisionUrl).toContain("referenceType=COMMIT");
  });

  it.each([1, 7, 100, undefined])("pages with maxResults %s: the same executions in the same order", async (pageSize) => {
    const all = (await client.send(new ListPipelineExecutionsCommand({ pipelineName: "payments-api" }))).pipelineExecutionSummaries ?? [];
    expect(all.length).toBeGreaterThan(7);
    const pages: (string | undefined)[] = [];
    const ids: string[] = [];
    for await (const page of paginateListPipelineExecutions({ client, ...(pageSize ? { pageSize } : {}) }, { pipelineName: "payments-api" })) {
      pages.push(page.nextToken);
      ids.push(...(page.pipelineExecutionSummaries ?? []).map((e) => e.pipelineExecutionId ?? ""));
    }
    expect(ids).toEqual(all.map((e) => e.pipelineExecutionId));
    expect(pages).toHaveLength(Math.ceil(all.length / (pageSize ?? 100)));
    expect(pages.at(-1)).toBeUndefined();
  });

  it("filters on succeededInStage", async () => {
    const all = await executions(client, "data-etl-nightly");
    const out = await client.send(
      new ListPipelineExecutionsCommand({ pipelineName: "data-etl-nightly", filter: { succeededInStage: { stageName: "Deploy" } } }),
    );
    const filtered = out.pipelineExecutionSummaries ?? [];
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.length).toBeLessThan(all.length);
    expect(filtered.every((e) => e.status === "Succeeded")).toBe(true);
  });

  it("refuses bad input and unknown pipelines", async () => {
    expect((await rejection(client.send(new ListPipelineExecutionsCommand({ pipelineName: "web-frontend", maxResults: 101 })))).name).toBe(
      "ValidationException",
    );
    expect(await rejection(client.send(new ListPipelineExecutionsCommand({ pipelineName: "nope" })))).toBeInstanceOf(PipelineNotFoundException);
    const page = await client.send(new ListPipelineExecutionsCommand({ pipelineName: "web-frontend", maxResults: 1 }));
    const err = await rejection(client.send(new ListPipelineExecutionsCommand({ pipelineName: "payments-api", nextToken: page.nextToken })));
    expect(err.name).toBe("InvalidNextTokenException");
    expect((await rejection(client.send(new ListPipelineExecutionsCommand({ pipelineName: "web-frontend", nextToken: "x!" })))).name).toBe(
      "InvalidNextTokenException",
    );
  });
});

describe("GetPipelineExecution", () => {
  it("agrees with the summary and has no startTime", async () => {
    const [summary] = await executions(client, "payments-api", 1);
    const out = await client.send(new GetPipelineExecutionCommand({ pipelineName: "payments-api", pipelineExecutionId: summary?.pipelineExecutionId }));
    const e = out.pipelineExecution;
    expect(e).toMatchObject({
      pipelineName: "payments-api",
      pipelineExecutionId: summary?.pipelineExecutionId,
      status: summary?.status,
      trigger: summary?.trigger,
      executionMode: "QUEUED",
      executionType: "STANDARD",
      pipelineVersion: 3,
    });
    expect(e && "startTime" in e).toBe(false);
    const artifact = e?.artifactRevisions?.[0];
    expect(artifact).toMatchObject({
      name: "SourceArtifact",
      revisionId: summary?.sourceRevisions?.[0]?.revisionId,
      revisionSummary: summary?.sourceRevisions?.[0]?.revisionSummary,
      revisionUrl: summary?.sourceRevisions?.[0]?.revisionUrl,
    });
    expect(artifact?.created?.getTime()).toBeLessThanOrEqual(summary?.startTime?.getTime() ?? 0);
  });

  it("answers PipelineExecutionNotFoundException and ValidationException", async () => {
    const err = await rejection(
      client.send(new GetPipelineExecutionCommand({ pipelineName: "payments-api", pipelineExecutionId: "00000000-0000-4000-8000-000000000000" })),
    );
    expect(err).toBeInstanceOf(PipelineExecutionNotFoundException);
    expect(err.$metadata.httpStatusCode).toBe(400);
    // An execution of another pipeline is not found under this one.
    const [other] = await executions(client, "web-frontend", 1);
    expect(
      await rejection(client.send(new GetPipelineExecutionCommand({ pipelineName: "payments-api", pipelineExecutionId: other?.pipelineExecutionId }))),
    ).toBeInstanceOf(PipelineExecutionNotFoundException);
    expect((await rejection(client.send(new GetPipelineExecutionCommand({ pipelineName: "payments-api", pipelineExecutionId: "nope" })))).name).toBe(
      "ValidationException",
    );
  });
});

describe("GetPipelineState", () => {
  it("shows each stage's latest execution, consistent with ListPipelineExecutions", async () => {
    const list = await executions(client, "web-frontend");
    const state = await client.send(new GetPipelineStateCommand({ name: "web-frontend" }));
    expect(state).toMatchObject({ pipelineName: "web-frontend", pipelineVersion: 3 });
    expect(state.created).toBeInstanceOf(Date);
    const [source, build, deploy] = state.stageStates ?? [];
    const newest = list[0];
    expect(source?.stageName).toBe("Source");
    expect(source?.inboundTransitionState).toEqual({ enabled: true });
    expect(source?.latestExecution).toEqual({ pipelineExecutionId: newest?.pipelineExecutionId, status: "Succeeded" });
    expect(build?.latestExecution).toEqual({ pipelineExecutionId: newest?.pipelineExecutionId, status: "InProgress" });
    // Deploy's latest run belongs to an older execution: the newest has not reached it yet.
    const deployed = list.find((e) => e.pipelineExecutionId === deploy?.latestExecution?.pipelineExecutionId);
    expect(deployed).toBeDefined();
    expect(deployed?.pipelineExecutionId).not.toBe(newest?.pipelineExecutionId);

    const action = source?.actionStates?.[0];
    const revision = newest?.sourceRevisions?.[0];
    expect(action).toMatchObject({
      actionName: "Source",
      revisionUrl: revision?.revisionUrl,
      currentRevision: { revisionId: revision?.revisionId },
      latestExecution: { status: "Succeeded", summary: revision?.revisionSummary, externalExecutionId: revision?.revisionId },
    });
    expect(action?.entityUrl).toContain("referenceType=BRANCH");
    expect(action?.latestExecution?.lastStatusChange).toBeInstanceOf(Date);
    expect(build?.actionStates?.[0]?.latestExecution).toMatchObject({
      status: "InProgress",
      externalExecutionId: expect.stringMatching(/^web-frontend-build:/),
    });
  });

  it("shows a Source failure with errorDetails on a PENDING connection", async () => {
    const state = await client.send(new GetPipelineStateCommand({ name: DEMO_PIPELINE_CASES.onPendingConnection.name }));
    const [source, build] = state.stageStates ?? [];
    expect(source?.latestExecution?.status).toBe("Failed");
    expect(source?.actionStates?.[0]?.latestExecution?.errorDetails?.message).toMatch(/Unable to use Connection: .* PENDING/);
    expect(build?.latestExecution).toBeUndefined();
    expect(build?.actionStates?.[0]).toEqual({ actionName: "Build", entityUrl: expect.stringContaining("codebuild") });
  });

  it("answers PipelineNotFoundException", async () => {
    expect(await rejection(client.send(new GetPipelineStateCommand({ name: "nope" })))).toBeInstanceOf(PipelineNotFoundException);
  });
});

describe("StartPipelineExecution", () => {
  it("starts an execution of the newest commit: first in the list, InProgress, Succeeded 6 s later", async () => {
    const c = DEMO_PIPELINE_CASES.healthyV2;
    const latest = emulator.state.pipelines.latestCommit(c.repository, c.branch, new Date());
    const { pipelineExecutionId } = await client.send(new StartPipelineExecutionCommand({ name: c.name }));
    expect(pipelineExecutionId).toMatch(/^[0-9a-f-]{36}$/);
    const [first] = await executions(client, c.name, 1);
    expect(first).toMatchObject({
      pipelineExecutionId,
      status: "InProgress",
      trigger: { triggerType: "StartPipelineExecution", triggerDetail: "arn:aws:iam::111111111111:user/tether-demo" },
      executionMode: "QUEUED",
      executionType: "STANDARD",
    });
    expect(first?.sourceRevisions?.[0]).toMatchObject({ actionName: "Source", revisionId: latest?.sha });
    expect(JSON.parse(first?.sourceRevisions?.[0]?.revisionSummary ?? "{}")).toEqual({ ProviderType: "Bitbucket", CommitMessage: latest?.message });
    const state = await client.send(new GetPipelineStateCommand({ name: c.name }));
    expect(state.stageStates?.[0]?.latestExecution?.pipelineExecutionId).toBe(pipelineExecutionId);

    emulator.state.clockOffsetMs += 7_000;
    const later = await client.send(new GetPipelineExecutionCommand({ pipelineName: c.name, pipelineExecutionId }));
    expect(later.pipelineExecution?.status).toBe("Succeeded");
    const stateLater = await client.send(new GetPipelineStateCommand({ name: c.name }));
    expect(stateLater.stageStates?.map((s) => [s.latestExecution?.pipelineExecutionId, s.latestExecution?.status])).toEqual([
      [pipelineExecutionId, "Succeeded"],
      [pipelineExecutionId, "Succeeded"],
      [pipelineExecutionId, "Succeeded"],
    ]);
  });

  it("names an assumed role's session in triggerDetail", async () => {
    const credentials = await assume("arn:aws:iam::222222222222:role/Deployer", "carol");
    const c = codePipelineClient(emulator, { credentials });
    const { pipelineExecutionId } = await c.send(new StartPipelineExecutionCommand({ name: "identity-service" }));
    const [first] = await executions(c, "identity-service", 1);
    expect(first?.pipelineExecutionId).toBe(pipelineExecutionId);
    expect(first?.trigger).toEqual({ triggerType: "StartPipelineExecution", triggerDetail: "arn:aws:sts::222222222222:assumed-role/Deployer/carol" });
  });

  it("is idempotent on clientRequestToken", async () => {
    const before = (await executions(client, "marketing-site")).length;
    const a = await client.send(new StartPipelineExecutionCommand({ name: "marketing-site", clientRequestToken: "release-42" }));
    const b = await client.send(new StartPipelineExecutionCommand({ name: "marketing-site", clientRequestToken: "release-42" }));
    expect(b.pipelineExecutionId).toBe(a.pipelineExecutionId);
    expect((await executions(client, "marketing-site")).length).toBe(before + 1);
    const bad = await rejection(client.send(new StartPipelineExecutionCommand({ name: "marketing-site", clientRequestToken: "not ok!" })));
    expect(bad.name).toBe("ValidationException");
  });

  it("builds a sourceRevisions COMMIT_ID override", async () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const { pipelineExecutionId } = await client.send(
      new StartPipelineExecutionCommand({
        name: "docs-site",
        sourceRevisions: [{ actionName: "Source", revisionType: "COMMIT_ID", revisionValue: sha }],
      }),
    );
    const out = await client.send(new GetPipelineExecutionCommand({ pipelineName: "docs-site", pipelineExecutionId }));
    expect(out.pipelineExecution?.artifactRevisions?.[0]?.revisionId).toBe(sha);
  });

  it("fails in Source after 1 s when the connection is not AVAILABLE", async () => {
    const c = DEMO_PIPELINE_CASES.onPendingConnection;
    const { pipelineExecutionId } = await client.send(new StartPipelineExecutionCommand({ name: c.name }));
    emulator.state.clockOffsetMs += 2_000;
    const [first] = await executions(client, c.name, 1);
    expect(first).toMatchObject({ pipelineExecutionId, status: "Failed" });
    expect(first?.sourceRevisions).toBeUndefined();
  });

  it("builds in one Region with a connection of another home Region (connections are global), until it is deleted", async () => {
    // web-frontend-eu (111111111111/eu-west-1) is saved as a new version whose source names the
    // us-east-1 connection acme-web-github, written with the other ARN prefix.
    const p = emulator.state.pipelines.get("111111111111", "eu-west-1", "web-frontend-eu");
    const current = p?.versions.at(-1)?.declaration;
    if (!p || !current) throw new Error("no web-frontend-eu");
    const next = structuredClone(current);
    next.version = current.version + 1;
    const written = DEMO_CASES.sharedConnection.arn.replace(":codeconnections:", ":codestar-connections:");
    const config = next.stages[0]?.actions[0]?.configuration;
    if (!config) throw new Error("no source configuration");
    config.ConnectionArn = written;
    p.versions.push({ declaration: next, since: emulator.state.now() });

    const eu = codePipelineClient(emulator, { region: "eu-west-1" });
    const { pipelineExecutionId } = await eu.send(new StartPipelineExecutionCommand({ name: "web-frontend-eu" }));
    emulator.state.clockOffsetMs += 7_000;
    const built = await eu.send(new GetPipelineExecutionCommand({ pipelineName: "web-frontend-eu", pipelineExecutionId }));
    expect(built.pipelineExecution?.status).toBe("Succeeded");
    expect(JSON.parse(built.pipelineExecution?.artifactRevisions?.[0]?.revisionSummary ?? "{}")).toMatchObject({ ProviderType: "GitHub" });

    await connectionsClient(emulator, { region: "eu-west-1" }).send(new DeleteConnectionCommand({ ConnectionArn: written }));
    const second = await eu.send(new StartPipelineExecutionCommand({ name: "web-frontend-eu" }));
    emulator.state.clockOffsetMs += 2_000;
    const failed = await eu.send(new GetPipelineExecutionCommand({ pipelineName: "web-frontend-eu", pipelineExecutionId: second.pipelineExecutionId }));
    expect(failed.pipelineExecution?.status).toBe("Failed");
    const state = await eu.send(new GetPipelineStateCommand({ name: "web-frontend-eu" }));
    expect(state.stageStates?.[0]?.actionStates?.[0]?.latestExecution?.errorDetails?.message).toBe(
      `Unable to use Connection: ${written}. The provided connection does not exist.`,
    );
  });

  it("answers PipelineNotFoundException", async () => {
    expect(await rejection(client.send(new StartPipelineExecutionCommand({ name: "nope" })))).toBeInstanceOf(PipelineNotFoundException);
  });
});

describe("wire", () => {
  it.each(["CodePipeline_20150709", "com.amazonaws.codepipeline.CodePipeline_20150709"])("routes target %s.<Op> (raw fetch)", async (prefix) => {
    const res = await rawJson(emulator, {
      target: `${prefix}.ListPipelines`,
      body: '{"maxResults":2}',
      authorization: fakeAuthorization("codepipeline"),
      headers: { "content-type": "application/x-amz-json-1.1" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    const pipelines = res.json.pipelines as { created: unknown }[];
    expect(pipelines).toHaveLength(2);
    expect(typeof pipelines[0]?.created).toBe("number");
    expect(typeof res.json.nextToken).toBe("string");
  });

  it("answers errors as {__type, message} with HTTP 400", async () => {
    const res = await rawJson(emulator, {
      target: "CodePipeline_20150709.GetPipeline",
      body: '{"name":"nope"}',
      authorization: fakeAuthorization("codepipeline"),
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ __type: "PipelineNotFoundException", message: expect.stringContaining("nope") });
    const unknown = await rawJson(emulator, { target: "CodePipeline_20150709.DeletePipeline", authorization: fakeAuthorization("codepipeline") });
    expect(unknown.json.__type).toBe("UnknownOperationException");
    const wrongScope = await rawJson(emulator, { target: "CodePipeline_20150709.ListPipelines", authorization: fakeAuthorization("codestar-connections") });
    expect(wrongScope).toMatchObject({ status: 403, json: { __type: "InvalidSignatureException" } });
  });

  it("counts calls under codepipeline, per scope", async () => {
    await client.send(new ListPipelinesCommand({}));
    await rejection(client.send(new GetPipelineCommand({ name: "nope" })));
    await codePipelineClient(emulator, { region: "eu-west-1" }).send(new ListPipelinesCommand({}));
    const stats = await control(emulator, "GET", "/_emulator/stats");
    expect(stats.json).toEqual({
      calls: { codepipeline: { ListPipelines: 2, GetPipeline: 1 } },
      byScope: {
        "111111111111/us-east-1": { codepipeline: { ListPipelines: 1, GetPipeline: 1 } },
        "111111111111/eu-west-1": { codepipeline: { ListPipelines: 1 } },
      },
    });
  });
});

describe("read-only role policy", () => {
  it("refuses StartPipelineExecution to TetherReadOnly with AccessDeniedException; reads stay allowed", async () => {
    const credentials = await assume(READ_ONLY_ROLE);
    const ro = codePipelineClient(emulator, { credentials });
    expect((await ro.send(new ListPipelinesCommand({}))).pipelines).toHaveLength(7);
    await ro.send(new GetPipelineStateCommand({ name: "identity-service" }));
    const before = (await executions(ro, "identity-service")).length;
    const err = await rejection(ro.send(new StartPipelineExecutionCommand({ name: "identity-service" })));
    expect(err.name).toBe("AccessDeniedException");
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(
      "User: arn:aws:sts::222222222222:assumed-role/TetherReadOnly/tether is not authorized to perform: codepipeline:StartPipelineExecution " +
        "on resource: arn:aws:codepipeline:us-east-1:222222222222:identity-service because no identity-based policy allows the " +
        "codepipeline:StartPipelineExecution action",
    );
    expect((await executions(ro, "identity-service")).length).toBe(before);
    const stats = await control(emulator, "GET", "/_emulator/stats");
    expect((stats.json.calls as Record<string, Record<string, number>>).codepipeline?.StartPipelineExecution).toBe(1);
  });

  it("refuses the mutating connections operations (403, the endpoint's IAM prefix) and allows reads", async () => {
    const credentials = await assume(READ_ONLY_ROLE);
    const legacy = connectionsClient(emulator, { credentials });
    const modern = codeConnectionsClient(emulator, { credentials });
    const arn = DEMO_CASES.secondAccountConnection.arn;
    expect((await legacy.send(new GetConnectionCommand({ ConnectionArn: arn }))).Connection?.ConnectionStatus).toBe("AVAILABLE");
    expect((await modern.send(new ListConnectionsCommand({}))).Connections?.length).toBeGreaterThan(0);
    const create = await rejection(legacy.send(new CreateConnectionCommand({ ConnectionName: "x", ProviderType: "GitHub" })));
    expect(create.name).toBe("AccessDeniedException");
    expect(create.$metadata.httpStatusCode).toBe(403);
    expect(create.message).toMatch(/is not authorized to perform: codestar-connections:CreateConnection on resource: arn:aws:codestar-connections:us-east-1:222222222222:connection\/\*/);
    const del = await rejection(modern.send(new DeleteConnectionCommand({ ConnectionArn: arn })));
    expect(del.message).toContain(`codeconnections:DeleteConnection on resource: ${arn} because no identity-based policy allows`);
    const tag = await rejection(modern.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "a", Value: "b" }] })));
    expect(tag.name).toBe("AccessDeniedException");
    expect((await legacy.send(new GetConnectionCommand({ ConnectionArn: arn }))).Connection).toBeDefined();
  });

  it("applies only to roles whose name contains ReadOnly", async () => {
    const deployer = await assume("arn:aws:iam::222222222222:role/Deployer");
    const created = await connectionsClient(emulator, { credentials: deployer }).send(
      new CreateConnectionCommand({ ConnectionName: "deployer-made", ProviderType: "GitHub" }),
    );
    expect(created.ConnectionArn).toContain(":222222222222:");
    const lower = await assume("arn:aws:iam::111111111111:role/ci-readonly-audit");
    const err = await rejection(codePipelineClient(emulator, { credentials: lower }).send(new StartPipelineExecutionCommand({ name: "web-frontend" })));
    expect(err.name).toBe("AccessDeniedException");
  });
});

describe("fault injection", () => {
  const addFault = (rule: unknown) => control(emulator, "POST", "/_emulator/faults", rule);

  it("throttles `count` calls, then lets them through (the SDK retries)", async () => {
    const added = await addFault({ service: "codepipeline", operation: "ListPipelines", error: "ThrottlingException", count: 2 });
    expect(added).toEqual({
      status: 201,
      json: { id: "fault-1", service: "codepipeline", operation: "ListPipelines", error: "ThrottlingException", count: 2, remaining: 2, applied: 0 },
    });
    const once = await rejection(client.send(new ListPipelinesCommand({})));
    expect(once.name).toBe("ThrottlingException");
    expect(once.$metadata.httpStatusCode).toBe(400);
    expect(once.message).toBe("Rate exceeded");
    // Other operations are untouched.
    await client.send(new GetPipelineCommand({ name: "web-frontend" }));
    const retrying = codePipelineClient(emulator, { maxAttempts: 3 });
    expect((await retrying.send(new ListPipelinesCommand({}))).pipelines).toHaveLength(20);
    const listed = await control(emulator, "GET", "/_emulator/faults");
    expect(listed.json).toEqual({ faults: [{ ...added.json, remaining: 0, applied: 2 }] });
    const stats = await control(emulator, "GET", "/_emulator/stats");
    expect((stats.json.calls as Record<string, Record<string, number>>).codepipeline?.ListPipelines).toBe(3);
  });

  it("adds latency to matching calls only", async () => {
    await addFault({ account: "111111111111", region: "eu-west-1", latencyMs: 400 });
    let t = Date.now();
    await codePipelineClient(emulator, { region: "eu-west-1" }).send(new ListPipelinesCommand({}));
    expect(Date.now() - t).toBeGreaterThanOrEqual(390);
    t = Date.now();
    await client.send(new ListPipelinesCommand({}));
    expect(Date.now() - t).toBeLessThan(390);
  });

  it("answers in each protocol's envelope", async () => {
    await addFault({ service: "codestar-connections", error: "AccessDeniedException", count: 1 });
    await addFault({ service: "codeconnections", error: "ThrottlingException", count: 1 });
    await addFault({ service: "sts", operation: "GetCallerIdentity", error: "ThrottlingException", count: 1 });
    await addFault({ service: "codepipeline", operation: "GetPipelineState", error: "InternalFailure", count: 1 });
    await addFault({ service: "codepipeline", operation: "GetPipeline", error: "ServiceUnavailable", count: 1 });
    const denied = await rejection(connectionsClient(emulator).send(new ListConnectionsCommand({})));
    expect(denied).toMatchObject({ name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } });
    expect(denied.message).toBe(
      "User: arn:aws:iam::111111111111:user/tether-demo is not authorized to perform: codestar-connections:ListConnections because no identity-based policy allows the codestar-connections:ListConnections action",
    );
    const throttled = await rejection(codeConnectionsClient(emulator).send(new ListConnectionsCommand({})));
    expect(throttled).toMatchObject({ name: "ThrottlingException", $metadata: { httpStatusCode: 429 } });
    const sts = await rawQuery(emulator, { form: "Action=GetCallerIdentity&Version=2011-06-15" });
    expect(sts.status).toBe(400);
    expect(sts.text).toContain("<Code>Throttling</Code>");
    expect(sts.text).toContain("<Type>Sender</Type>");
    expect((await stsClient(emulator).send(new GetCallerIdentityCommand({}))).Account).toBe("111111111111");
    expect(await rejection(client.send(new GetPipelineStateCommand({ name: "web-frontend" })))).toMatchObject({
      name: "InternalFailure",
      $metadata: { httpStatusCode: 500 },
    });
    expect(await rejection(client.send(new GetPipelineCommand({ name: "web-frontend" })))).toMatchObject({
      name: "ServiceUnavailable",
      $metadata: { httpStatusCode: 503 },
    });
  });

  it("applies the first matching error rule and every latency rule", async () => {
    await addFault({ operation: "ListPipelines", latencyMs: 200 });
    await addFault({ operation: "ListPipelines", error: "InternalFailure", count: 1 });
    await addFault({ operation: "ListPipelines", error: "ServiceUnavailable", count: 1 });
    const t = Date.now();
    expect((await rejection(client.send(new ListPipelinesCommand({})))).name).toBe("InternalFailure");
    expect(Date.now() - t).toBeGreaterThanOrEqual(190);
    expect((await rejection(client.send(new ListPipelinesCommand({})))).name).toBe("ServiceUnavailable");
    await client.send(new ListPipelinesCommand({}));
    const listed = (await control(emulator, "GET", "/_emulator/faults")).json.faults as { applied: number }[];
    expect(listed.map((f) => f.applied)).toEqual([3, 1, 1]);
  });

  it("clears with DELETE, by id, and on every seed and reset", async () => {
    const a = await addFault({ error: "ThrottlingException" });
    await addFault({ latencyMs: 10 });
    expect((await control(emulator, "DELETE", `/_emulator/faults/${String(a.json.id)}`)).json).toEqual({
      faults: [{ id: "fault-2", latencyMs: 10, applied: 0 }],
    });
    expect((await control(emulator, "DELETE", "/_emulator/faults/fault-99")).status).toBe(404);
    expect(await control(emulator, "DELETE", "/_emulator/faults")).toEqual({ status: 200, json: { faults: [] } });
    await client.send(new ListPipelinesCommand({}));
    await addFault({ error: "ThrottlingException" });
    await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
    expect((await control(emulator, "GET", "/_emulator/faults")).json).toEqual({ faults: [] });
    await addFault({ error: "ThrottlingException" });
    await control(emulator, "POST", "/_emulator/reset");
    expect((await control(emulator, "GET", "/_emulator/faults")).json).toEqual({ faults: [] });
  });

  it.each([
    ["not JSON", "nope", /JSON object/],
    ["an array", "[]", /JSON object/],
    ["no error or latency", { service: "codepipeline" }, /needs "error", "latencyMs"/],
    ["an unknown error", { error: "Boom" }, /"error" must be one of ThrottlingException/],
    ["a negative latency", { latencyMs: -1 }, /"latencyMs" must be an integer from 0 to 120000/],
    ["a zero count", { error: "InternalFailure", count: 0 }, /"count" must be an integer/],
    ["an unknown service", { service: "s3", error: "InternalFailure" }, /"service" must be one of the signing names account, codeconnections, codepipeline, codestar-connections, monitoring, organizations, sts/],
    ["a bad account", { account: "1234", error: "InternalFailure" }, /"account" must be a 12-digit account id/],
    ["an unknown field", { error: "InternalFailure", status: 500 }, /Unknown field\(s\) status/],
  ])("refuses %s with 400", async (_label, body, message) => {
    const res = await addFault(body);
    expect(res.status).toBe(400);
    expect(String(res.json.error)).toMatch(message);
  });
});

describe("webhook executions (push simulator hook)", () => {
  it("appends a WebhookV2 execution that shows from its start time on", async () => {
    const c = DEMO_PIPELINE_CASES.healthyV2;
    const sha = "feedfacefeedfacefeedfacefeedfacefeedface";
    const start = new Date(Date.now() + 5_000);
    const appended = emulator.state.pipelines.appendWebhookExecution({
      account: c.account,
      region: c.region,
      pipelineName: c.name,
      sha,
      startTime: start,
      commitMessage: "Add webhook test",
      pushedAt: new Date(),
    });
    expect((await executions(client, c.name, 1))[0]?.pipelineExecutionId).not.toBe(appended.id);
    emulator.state.clockOffsetMs += 6_000;
    const [first] = await executions(client, c.name, 1);
    expect(first).toMatchObject({
      pipelineExecutionId: appended.id,
      status: "InProgress",
      trigger: { triggerType: "WebhookV2", triggerDetail: c.connectionArn },
      sourceRevisions: [{ actionName: "Source", revisionId: sha }],
    });
    expect(JSON.parse(first?.sourceRevisions?.[0]?.revisionSummary ?? "{}")).toEqual({ ProviderType: "Bitbucket", CommitMessage: "Add webhook test" });
    // The pushed commit is now the newest on the branch: a manual start builds it.
    const { pipelineExecutionId } = await client.send(new StartPipelineExecutionCommand({ name: c.name }));
    const manual = await client.send(new GetPipelineExecutionCommand({ pipelineName: c.name, pipelineExecutionId }));
    expect(manual.pipelineExecution?.artifactRevisions?.[0]?.revisionId).toBe(sha);
  });

  it("uses Webhook for V1 pipelines", () => {
    const c = DEMO_PIPELINE_CASES.healthyV1;
    const e = emulator.state.pipelines.appendWebhookExecution({ account: c.account, region: c.region, pipelineName: c.name, sha: "a".repeat(40), startTime: new Date() });
    expect(e.trigger).toEqual({ triggerType: "Webhook", triggerDetail: c.connectionArn });
    expect(() =>
      emulator.state.pipelines.appendWebhookExecution({ account: c.account, region: c.region, pipelineName: "nope", sha: "a", startTime: new Date() }),
    ).toThrow(/No pipeline/);
  });
});

describe("demo fixture: named pipeline cases", () => {
  it("sharedA–D: at least four pipelines on the shared connection, on different repository branches", async () => {
    const shared = [DEMO_PIPELINE_CASES.sharedA, DEMO_PIPELINE_CASES.sharedB, DEMO_PIPELINE_CASES.sharedC, DEMO_PIPELINE_CASES.sharedD];
    const branches = new Set<string>();
    for (const c of shared) {
      const config = sourceConfig(await declaration(c));
      expect(config.ConnectionArn).toBe(DEMO_CASES.sharedConnection.arn);
      branches.add(`${config.FullRepositoryId}#${config.BranchName}`);
    }
    expect(branches.size).toBe(4);
  });

  it("onPendingConnection: on billing-legacy-github, never started on push, every run failed in Source", async () => {
    const c = DEMO_PIPELINE_CASES.onPendingConnection;
    expect(sourceConfig(await declaration(c)).ConnectionArn).toBe(DEMO_CASES.legacyPending.arn);
    expect(c.connectionArn).not.toContain(DEMO_CASES.resumeTarget.uuid);
    const list = await executions(client, c.name);
    expect(list.some(isWebhook)).toBe(false);
    expect(list.every((e) => e.status === "Failed" && e.sourceRevisions === undefined)).toBe(true);
  });

  it("onErrorConnection: webhooks only before the connection broke", async () => {
    const c = DEMO_PIPELINE_CASES.onErrorConnection;
    expect(sourceConfig(await declaration(c)).ConnectionArn).toBe(DEMO_CASES.errorConnection.arn);
    const list = await executions(client, c.name);
    expect(list.filter(isWebhook).every((e) => ageMs(e) > 3 * 24 * HOUR)).toBe(true);
    expect(list.some(isWebhook)).toBe(true);
    expect(list[0]).toMatchObject({ status: "Failed", trigger: { triggerType: "StartPipelineExecution" } });
  });

  it("detectChangesFalse: V1, AVAILABLE connection, DetectChanges false, no webhook execution", async () => {
    const c = DEMO_PIPELINE_CASES.detectChangesFalse;
    const d = await declaration(c);
    expect(d.pipelineType).toBe("V1");
    expect(sourceConfig(d).DetectChanges).toBe("false");
    const { Connection } = await connectionsClient(emulator).send(new GetConnectionCommand({ ConnectionArn: c.connectionArn }));
    expect(Connection?.ConnectionStatus).toBe("AVAILABLE");
    const types = new Set((await executions(client, c.name)).map((e) => e.trigger?.triggerType));
    expect(types).toEqual(new Set(["CreatePipeline", "StartPipelineExecution"]));
  });

  it("triggerExcludesBranch: V2, branch main, push filter includes release/** only", async () => {
    const d = await declaration(DEMO_PIPELINE_CASES.triggerExcludesBranch);
    expect(d.pipelineType).toBe("V2");
    expect(sourceConfig(d).BranchName).toBe("main");
    const push = d.triggers?.[0]?.gitConfiguration?.push ?? [];
    expect(push.flatMap((f) => f.branches?.includes ?? [])).toEqual(["release/**"]);
    const list = await executions(client, DEMO_PIPELINE_CASES.triggerExcludesBranch.name);
    expect(list.filter(isWebhook).every((e) => ageMs(e) > 2 * 24 * HOUR)).toBe(true);
    expect(list.some(isWebhook)).toBe(true); // "WebhookV2 until then"
  });

  it("deletedConnection: its ConnectionArn names a UUID that exists in no scope", async () => {
    const c = DEMO_PIPELINE_CASES.deletedConnection;
    expect(c.connectionArn).toBe(`arn:aws:codeconnections:us-east-1:111111111111:connection/${DELETED_CONNECTION_UUID}`);
    expect(c.connectionName).toBeUndefined();
    expect(emulator.state.codeConnections.connections.has(DELETED_CONNECTION_UUID)).toBe(false);
    const err = await rejection(connectionsClient(emulator).send(new GetConnectionCommand({ ConnectionArn: c.connectionArn })));
    expect(err.name).toBe("ResourceNotFoundException");
    const list = await executions(client, c.name);
    expect(list.filter(isWebhook).every((e) => ageMs(e) > 4 * 24 * HOUR)).toBe(true);
    expect(list.some(isWebhook)).toBe(true); // "WebhookV2 until then"
  });

  it("legacyPrefixArn: writes the legacy prefix for a connection stored with the codeconnections one", async () => {
    const c = DEMO_PIPELINE_CASES.legacyPrefixArn;
    const written = sourceConfig(await declaration(c)).ConnectionArn ?? "";
    expect(written).toMatch(/^arn:aws:codestar-connections:us-east-1:111111111111:connection\//);
    const { Connection } = await connectionsClient(emulator).send(new GetConnectionCommand({ ConnectionArn: written }));
    expect(Connection).toMatchObject({ ConnectionName: "docs-site-github", ConnectionStatus: "AVAILABLE" });
    expect(Connection?.ConnectionArn).toBe(written.replace(":codestar-connections:", ":codeconnections:"));
    const webhook = (await executions(client, c.name)).find(isWebhook);
    expect(webhook?.trigger?.triggerDetail).toBe(written);
  });

  it("manualOnly: trigger includes the branch; the last 24 h are all StartPipelineExecution, older ones WebhookV2", async () => {
    const c = DEMO_PIPELINE_CASES.manualOnly;
    const d = await declaration(c);
    expect(d.triggers?.[0]?.gitConfiguration?.push?.[0]?.branches?.includes).toContain(sourceConfig(d).BranchName);
    const { Connection } = await connectionsClient(emulator).send(new GetConnectionCommand({ ConnectionArn: c.connectionArn }));
    expect(Connection?.ConnectionStatus).toBe("AVAILABLE");
    const list = await executions(client, c.name);
    const recent = list.filter((e) => ageMs(e) < 24 * HOUR);
    expect(recent.length).toBeGreaterThanOrEqual(3);
    expect(recent.every((e) => e.trigger?.triggerType === "StartPipelineExecution")).toBe(true);
    expect(list.filter((e) => ageMs(e) >= 24 * HOUR).some((e) => e.trigger?.triggerType === "WebhookV2")).toBe(true);
    // Pushes kept coming: the branch has commits newer than the last WebhookV2 execution.
    const lastWebhook = list.find(isWebhook)?.startTime?.getTime() ?? 0;
    const commits = emulator.state.pipelines.commitsOn(c.repository, c.branch);
    expect(commits.some((x) => x.time.getTime() > lastWebhook + 60_000)).toBe(true);
  });

  it("filePathFilter, pullRequestOnly: the filters they claim", async () => {
    const fp = await declaration(DEMO_PIPELINE_CASES.filePathFilter);
    expect(fp.triggers?.[0]?.gitConfiguration?.push).toEqual([{ branches: { includes: ["main"] }, filePaths: { includes: ["services/api/**"] } }]);
    const pr = await declaration(DEMO_PIPELINE_CASES.pullRequestOnly);
    expect(pr.triggers?.[0]?.gitConfiguration?.push).toBeUndefined();
    expect(pr.triggers?.[0]?.gitConfiguration?.pullRequest?.length).toBeGreaterThan(0);
    const prRuns = (await executions(client, DEMO_PIPELINE_CASES.pullRequestOnly.name)).filter(isWebhook);
    expect(prRuns.length).toBeGreaterThan(0);
    const mainShas = new Set(emulator.state.pipelines.commitsOn("acme/ml-notebooks", "main").map((x) => x.sha));
    expect(prRuns.every((e) => !mainShas.has(e.sourceRevisions?.[0]?.revisionId ?? ""))).toBe(true);
  });

  it("healthyV2 and healthyV1: AVAILABLE connections and webhook executions in the last day", async () => {
    for (const [c, type, triggerType] of [
      [DEMO_PIPELINE_CASES.healthyV2, "V2", "WebhookV2"],
      [DEMO_PIPELINE_CASES.healthyV1, "V1", "Webhook"],
    ] as const) {
      expect((await declaration(c)).pipelineType).toBe(type);
      const { Connection } = await connectionsClient(emulator).send(new GetConnectionCommand({ ConnectionArn: c.connectionArn }));
      expect(Connection?.ConnectionStatus).toBe("AVAILABLE");
      const list = await executions(client, c.name);
      const recent = list.filter((e) => isWebhook(e) && ageMs(e) < 24 * HOUR);
      expect(recent.length).toBeGreaterThan(0);
      expect(recent.every((e) => e.trigger?.triggerType === triggerType && e.trigger.triggerDetail === c.connectionArn)).toBe(true);
      expect(list[0]?.status).toBe("Succeeded");
    }
  });
});

describe("determinism", () => {
  it("seeds the same pipelines and execution ids every time", async () => {
    const snapshot = async () => {
      const out: string[] = [];
      for (const account of KNOWN_ACCOUNTS) {
        for (const region of REGIONS) {
          const c = await clientFor({ account, region });
          for (const name of (await pipelineNames(c)).names) {
            const ids = (await executions(c, name)).map((e) => `${e.pipelineExecutionId}:${e.sourceRevisions?.[0]?.revisionId ?? "-"}`);
            out.push(`${account}/${region}/${name}=${ids.join(",")}`);
          }
        }
      }
      return out;
    };
    const first = await snapshot();
    await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
    expect(await snapshot()).toEqual(first);
    expect(first).toHaveLength(45);
  });
});
