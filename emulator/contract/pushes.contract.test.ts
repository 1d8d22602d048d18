import { GetPipelineExecutionCommand, ListPipelineExecutionsCommand } from "@aws-sdk/client-codepipeline";
import { verify } from "@octokit/webhooks-methods";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_LATENCY_CASES, DEMO_PIPELINE_CASES } from "../fixtures";
import { startEmulator, type RunningEmulator } from "../server";
import { codePipelineClient, control } from "./helpers";

/** A stand-in for the Tether app: records every request and answers 202. */
interface Captured {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let app: Server;
let appUrl: string;
let captured: Captured[] = [];
let emulator: RunningEmulator;

beforeAll(async () => {
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      captured.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(202, { "Content-Type": "application/json" });
      res.end('{"status":"stored"}');
    });
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  emulator = await startEmulator({ port: 0, fixture: "demo", appUrls: [appUrl], webhookSecret: "s3cret", eventsKey: "k3y" });
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => app.close(resolve));
});
beforeEach(async () => {
  await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
  captured = [];
});

async function push(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return control(emulator, "POST", "/_emulator/pushes", body);
}

async function until<T>(check: () => T | undefined, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A member of parsed JSON by path (`at(body, "repository", "pushed_at")`). */
const at = (v: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((o, k) => (typeof o === "object" && o !== null ? (o as Record<string | number, unknown>)[k] : undefined), v);

const T = DEMO_LATENCY_CASES.pushTargets;
const to = (t: { account: string; region: string; name: string }) => ({ account: t.account, region: t.region, pipeline: t.name });

describe("POST /_emulator/pushes", () => {
  it("GitHub, start: a signed push webhook, then the execution and its STARTED event", async () => {
    const target = T.GitHub;
    const res = await push({ ...to(target), outcome: "start", delayMs: 800 });
    expect(res.status).toBe(200);
    const { sha, deliveryId, executionId } = res.json;
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(deliveryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json).toMatchObject({ delivered: 202, outcome: "start", provider: "GitHub", repository: "acme/infra-networking", branch: "main", delayMs: 800 });

    // The delivery, answered before the response.
    const delivery = captured.find((c) => c.path === "/api/webhooks/github");
    expect(delivery).toBeDefined();
    if (!delivery) return;
    expect(delivery.headers).toMatchObject({
      "x-github-event": "push",
      "x-github-delivery": deliveryId,
      "content-type": "application/json",
      "user-agent": expect.stringMatching(/^GitHub-Hookshot\//),
    });
    expect(await verify("s3cret", delivery.body, String(delivery.headers["x-hub-signature-256"]))).toBe(true);
    expect(await verify("tether-demo-webhook-secret", delivery.body, String(delivery.headers["x-hub-signature-256"]))).toBe(false);
    const payload = JSON.parse(delivery.body) as Record<string, unknown>;
    expect(payload).toMatchObject({ ref: "refs/heads/main", after: sha, repository: { full_name: "acme/infra-networking" } });
    expect(Number.isInteger(at(payload, "repository", "pushed_at"))).toBe(true);
    expect(Math.abs(Number(at(payload, "repository", "pushed_at")) * 1000 - Date.now())).toBeLessThan(10_000);
    expect(at(payload, "before")).toMatch(/^[0-9a-f]{40}$/);
    expect(at(payload, "before")).not.toBe(sha);

    // Not visible before its start time; then listed with the commit, and the event arrives.
    const cp = codePipelineClient(emulator);
    const listed = async () => (await cp.send(new ListPipelineExecutionsCommand({ pipelineName: target.name }))).pipelineExecutionSummaries ?? [];
    expect((await listed()).some((e) => e.pipelineExecutionId === executionId)).toBe(false);
    const event = await until(() => captured.find((c) => c.path === "/api/events/codepipeline"));
    expect(event.headers["x-tether-api-key"]).toBe("k3y");
    expect(event.headers["content-type"]).toBe("application/json");
    const e = JSON.parse(event.body) as Record<string, unknown>;
    expect(e).toMatchObject({
      version: "0",
      "detail-type": "CodePipeline Pipeline Execution State Change",
      source: "aws.codepipeline",
      account: target.account,
      region: target.region,
      resources: [`arn:aws:codepipeline:${target.region}:${target.account}:${target.name}`],
      detail: {
        pipeline: target.name,
        "execution-id": executionId,
        state: "STARTED",
        "execution-trigger": { "trigger-type": "Webhook", "trigger-detail": DEMO_PIPELINE_CASES.healthyV1.connectionArn },
        "pipeline-execution-attempt": 1,
      },
    });
    expect(at(e, "id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(at(e, "time")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(typeof at(e, "detail", "version")).toBe("number");
    expect(JSON.stringify(at(e, "detail"))).not.toContain(sha);
    expect(Date.parse(String(at(e, "detail", "start-time"))) - Number(at(payload, "repository", "pushed_at")) * 1000).toBeGreaterThanOrEqual(800);

    const summary = (await listed()).find((x) => x.pipelineExecutionId === executionId);
    expect(summary?.trigger).toEqual({ triggerType: "Webhook", triggerDetail: DEMO_PIPELINE_CASES.healthyV1.connectionArn });
    expect(summary?.sourceRevisions?.[0]?.revisionId).toBe(sha);
    const got = await cp.send(new GetPipelineExecutionCommand({ pipelineName: target.name, pipelineExecutionId: String(executionId) }));
    expect(got.pipelineExecution?.artifactRevisions?.[0]?.revisionId).toBe(sha);

    const listedPushes = await control(emulator, "GET", "/_emulator/pushes");
    expect(at(listedPushes, "json", "pushes", 0)).toMatchObject({
      sha,
      deliveryId,
      account: target.account,
      region: target.region,
      pipeline: target.name,
      outcome: "start",
      delivered: 202,
      executionId,
      event: 202,
    });
  });

  it("drop: the webhook and the commit, but no execution and no event", async () => {
    const target = DEMO_PIPELINE_CASES.healthyV2; // Bitbucket payments-api
    const before = (await codePipelineClient(emulator).send(new ListPipelineExecutionsCommand({ pipelineName: target.name }))).pipelineExecutionSummaries?.length;
    const res = await push({ account: target.account, region: target.region, pipeline: target.name, outcome: "drop", delayMs: 0 });
    expect(res.json).toMatchObject({ delivered: 202, outcome: "drop", provider: "Bitbucket" });
    expect(res.json.executionId).toBeUndefined();
    const delivered = [...captured];
    expect(delivered.map((c) => c.path)).toEqual(["/api/webhooks/bitbucket"]);
    // No sleep: a later push that starts at once is the marker. Any event the drop had scheduled
    // (due at once too, and scheduled first) would have fired, and arrived, before the marker's.
    const marker = await push({ ...to(T.GitHub), outcome: "start", delayMs: 0 });
    await until(() => captured.find((c) => c.path === "/api/events/codepipeline"));
    expect(captured.filter((c) => c.path === "/api/events/codepipeline").map((c) => JSON.parse(c.body).detail["execution-id"])).toEqual([marker.json.executionId]);
    const delivery = delivered[0];
    expect(await verify("s3cret", delivery?.body ?? "", String(delivery?.headers["x-hub-signature"]))).toBe(true);
    expect(delivery?.headers["x-request-uuid"]).toBe(res.json.deliveryId);
    expect(JSON.parse(delivery?.body ?? "{}").push.changes[0].new.target.hash).toBe(res.json.sha);
    const after = await codePipelineClient(emulator).send(new ListPipelineExecutionsCommand({ pipelineName: target.name }));
    expect(after.pipelineExecutionSummaries?.length).toBe(before);
    expect(emulator.state.pipelines.latestCommit(target.repository, target.branch, emulator.state.now())?.sha).toBe(res.json.sha);
    const listed = (await control(emulator, "GET", "/_emulator/pushes")).json.pushes as Record<string, unknown>[];
    expect(listed.find((p) => p.sha === res.json.sha)).toMatchObject({ outcome: "drop", delivered: 202 });
    expect(listed.find((p) => p.sha === res.json.sha)?.event).toBeUndefined();
  });

  it("GitLab sends its token; GHES names its host; a file-path filter gets a matching file", async () => {
    const gitlab = await push({ ...to(T.GitLab), outcome: "drop" });
    expect(gitlab.json.delivered).toBe(202);
    const g = captured.find((c) => c.path === "/api/webhooks/gitlab");
    expect(g?.headers).toMatchObject({ "x-gitlab-token": "s3cret", "x-gitlab-event": "Push Hook", "x-gitlab-event-uuid": gitlab.json.deliveryId, "x-gitlab-instance": "https://gitlab.com" });
    expect(JSON.parse(g?.body ?? "{}")).toMatchObject({ object_kind: "push", checkout_sha: gitlab.json.sha, project: { path_with_namespace: "acme/data-etl" } });

    const ghes = await push({ ...to(T.GitHubEnterpriseServer), outcome: "drop" });
    expect(ghes.json.provider).toBe("GitHubEnterpriseServer");
    const h = captured.find((c) => c.headers["x-github-delivery"] === ghes.json.deliveryId);
    expect(h?.headers["x-github-enterprise-host"]).toBe("ghe.corp.example.com");

    const mono = DEMO_PIPELINE_CASES.filePathFilter;
    const res = await push({ account: mono.account, region: mono.region, pipeline: mono.name, outcome: "drop" });
    const m = captured.find((c) => c.headers["x-github-delivery"] === res.json.deliveryId);
    const files: string[] = JSON.parse(m?.body ?? "{}").head_commit.modified;
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => f.startsWith("services/api/"))).toBe(true);
  });

  it("Azure DevOps: no webhook (Tether has no receiver), the execution still starts", async () => {
    const res = await push({ ...to(T.AzureDevOps), outcome: "start", delayMs: 0 });
    expect(res.json).toMatchObject({ delivered: null, provider: "AzureDevOps" });
    const event = await until(() => captured.find((c) => c.path === "/api/events/codepipeline"));
    expect(captured.filter((c) => c.path.startsWith("/api/webhooks"))).toEqual([]);
    expect(JSON.parse(event.body).detail["execution-id"]).toBe(res.json.executionId);
  });

  it("a reseed before the start cancels the event", async () => {
    const cancelled = await push({ ...to(T.GitHub), outcome: "start", delayMs: 300 });
    await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
    // No sleep: a push after the reseed that starts later than the cancelled one is the marker.
    // Its event arriving means the cancelled one's start time has passed (its timer fired first).
    const marker = await push({ ...to(T.GitHub), outcome: "start", delayMs: 600 });
    expect(Date.parse(String(marker.json.startTime))).toBeGreaterThan(Date.parse(String(cancelled.json.startTime)));
    await until(() => captured.find((c) => c.path === "/api/events/codepipeline"));
    expect(captured.filter((c) => c.path === "/api/events/codepipeline").map((c) => JSON.parse(c.body).detail["execution-id"])).toEqual([marker.json.executionId]);
  });

  it.each([
    ["no body", undefined, 400, /Expected a JSON body/],
    ["a bad outcome", { account: "111111111111", region: "us-east-1", pipeline: "payments-api", outcome: "maybe" }, 400, /"outcome" must be "start" or "drop"/],
    ["a bad account and delay", { account: "1", region: "us-east-1", pipeline: "payments-api", outcome: "start", delayMs: -1 }, 400, /"account".*"delayMs"/],
    ["an unknown field", { account: "111111111111", region: "us-east-1", pipeline: "payments-api", outcome: "start", sha: "x" }, 400, /unknown field\(s\) sha/],
    ["an unknown pipeline", { account: "111111111111", region: "us-east-1", pipeline: "nope", outcome: "start" }, 404, /No pipeline 'nope' in 111111111111\/us-east-1/],
    ["a pipeline of another region", { account: "111111111111", region: "eu-west-1", pipeline: "payments-api", outcome: "start" }, 404, /No pipeline/],
  ])("refuses %s", async (_label, body, status, message) => {
    const res = await push(body ?? "");
    expect(res.status).toBe(status);
    expect(String(res.json.error)).toMatch(message);
    expect(captured).toEqual([]);
  });

  it("lists the demo's delivered history with ?source=fixture", async () => {
    const res = await control(emulator, "GET", "/_emulator/pushes?source=fixture");
    const pushes = res.json.pushes as Record<string, unknown>[];
    expect(pushes).toHaveLength(DEMO_LATENCY_CASES.counts.deliveries);
    expect(pushes[0]).toMatchObject({ source: "fixture", sha: expect.stringMatching(/^[0-9a-f]{40}$/), deliveryId: expect.any(String) });
    expect(Date.parse(String(pushes[0]?.pushedAt))).toBeGreaterThan(Date.parse(String(pushes[pushes.length - 1]?.pushedAt)));
    expect((await control(emulator, "GET", "/_emulator/pushes")).json.pushes).toEqual([]);
    expect((await control(emulator, "GET", "/_emulator/pushes?source=nope")).status).toBe(400);
  });
});

describe("the background simulator", () => {
  it("picks only healthy pipelines whose trigger starts on a push", () => {
    const names = emulator.simulator.healthyPipelines().map((p) => `${p.account}/${p.region}/${p.name}`);
    const name = (c: { account: string; region: string; name: string }) => `${c.account}/${c.region}/${c.name}`;
    expect(names).toContain(name(DEMO_PIPELINE_CASES.healthyV1));
    expect(names).toContain(name(DEMO_PIPELINE_CASES.filePathFilter));
    for (const c of ["onPendingConnection", "onErrorConnection", "detectChangesFalse", "triggerExcludesBranch", "deletedConnection", "pullRequestOnly"] as const) {
      expect(names).not.toContain(name(DEMO_PIPELINE_CASES[c]));
    }
    expect(names).not.toContain(name(T.AzureDevOps));
  });

  it("one tick pushes to one of them and delivers its webhook", async () => {
    const answer = await emulator.simulator.tick();
    expect(answer?.status).toBe(200);
    expect(answer?.body.delivered).toBe(202);
    const listed = (await control(emulator, "GET", "/_emulator/pushes")).json.pushes as Record<string, unknown>[];
    expect(listed).toHaveLength(1);
    expect(listed[0]?.sha).toBe(answer?.body.sha);
  });
});

describe("an app that does not answer", () => {
  it("still records the push and reports delivered: null", async () => {
    const lonely = await startEmulator({ port: 0, fixture: "demo", appUrls: ["http://127.0.0.1:1"] });
    try {
      const res = await control(lonely, "POST", "/_emulator/pushes", { ...to(T.GitHub), outcome: "drop" });
      expect(res.status).toBe(200);
      expect(res.json.delivered).toBeNull();
      const listed = (await control(lonely, "GET", "/_emulator/pushes")).json.pushes as Record<string, unknown>[];
      expect(listed[0]).toMatchObject({ sha: res.json.sha, delivered: null, deliveryError: expect.any(String) });
    } finally {
      await lonely.close();
    }
  });
});
