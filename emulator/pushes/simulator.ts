import { createHash, randomUUID } from "node:crypto";
import { pipelineArn } from "../arns";
import type { ProviderType } from "../model";
import { prng } from "../prng";
import { describePush, type PushOutcome, type PushRecord } from "../push-log";
import { sourceActionOf, type PipelineDeclaration, type SourceActionInfo } from "../services/codepipeline/declaration";
import { glob } from "../services/codepipeline/glob";
import { currentDeclaration, type ExecutionRecord, type PipelineRecord } from "../services/codepipeline/records";
import { pushAccepted } from "../services/codepipeline/triggers";
import type { EmulatorState } from "../state";
import { sampleLatencyMs } from "./latency";
import { buildDelivery, ZERO_SHA, type PushEvent } from "./payloads";

/**
 * The push simulator (`POST /_emulator/pushes`, and `--pushes-per-minute`): one push to a
 * pipeline's source branch — a new commit, the provider's signed push webhook to the app, and
 * with outcome `start` a webhook-triggered execution plus the EventBridge "Pipeline Execution
 * State Change" (STARTED) event to the app when it starts; `drop` is a missed trigger (no
 * execution, no event).
 */

export const DEFAULT_WEBHOOK_SECRET = "tether-demo-webhook-secret";
export const DEFAULT_EVENTS_KEY = "tether-demo-events-key";
/** Longest `delayMs` accepted (10 minutes). */
export const MAX_DELAY_MS = 600_000;
/** How long the simulator waits for the app to answer a delivery or an event. */
export const POST_TIMEOUT_MS = 5_000;
/** Share of background pushes that are dropped (missed triggers), unless the fixture says otherwise. */
export const BACKGROUND_DROP_SHARE = 0.05;

export interface PushSimulatorConfig {
  /** The app's base URL (the first `--app-url`). */
  appUrl: string;
  webhookSecret: string;
  eventsKey: string;
}

export interface PushRequest {
  account: string;
  region: string;
  pipeline: string;
  outcome: PushOutcome;
  delayMs?: number;
}

export interface PushAnswer {
  status: number;
  body: Record<string, unknown>;
}

const AUTHORS = [
  { name: "Alice", username: "alice", email: "alice@example.com" },
  { name: "Bob", username: "bob", email: "bob@example.com" },
];

const MESSAGES = [
  "Fix off-by-one in pagination",
  "Add request tracing to the API client",
  "Bump dependencies",
  "Handle empty responses from the upstream service",
  "Tune retry backoff",
  "Update the runbook",
  "Cache the configuration between requests",
  "Remove dead code",
];

const DEFAULT_FILES = ["src/index.ts", "src/lib/http.ts", "README.md", "package.json", "test/app.test.ts"];

/** Reads a `POST /_emulator/pushes` body; a message naming every problem when it is wrong. */
export function parsePushRequest(body: unknown): { ok: true; request: PushRequest } | { ok: false; message: string } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, message: 'Expected a JSON body {"account", "region", "pipeline", "outcome": "start" | "drop", "delayMs"?}.' };
  }
  const input = body as Record<string, unknown>;
  const known = ["account", "region", "pipeline", "outcome", "delayMs"];
  const problems: string[] = [];
  const unknown = Object.keys(input).filter((k) => !known.includes(k));
  if (unknown.length) problems.push(`unknown field(s) ${unknown.join(", ")}`);
  const { account, region, pipeline, outcome, delayMs } = input;
  if (typeof account !== "string" || !/^\d{12}$/.test(account)) problems.push('"account" must be a 12-digit account id');
  if (typeof region !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) problems.push('"region" must be a region name such as us-east-1');
  if (typeof pipeline !== "string" || !/^[A-Za-z0-9.@\-_]{1,100}$/.test(pipeline)) problems.push('"pipeline" must be a pipeline name');
  if (outcome !== "start" && outcome !== "drop") problems.push('"outcome" must be "start" or "drop"');
  if (delayMs !== undefined && (typeof delayMs !== "number" || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS)) {
    problems.push(`"delayMs" must be an integer from 0 to ${MAX_DELAY_MS}`);
  }
  if (problems.length) return { ok: false, message: `Invalid push: ${problems.join("; ")}.` };
  return {
    ok: true,
    request: {
      account: account as string,
      region: region as string,
      pipeline: pipeline as string,
      outcome: outcome as PushOutcome,
      ...(delayMs !== undefined ? { delayMs: delayMs as number } : {}),
    },
  };
}

export class PushSimulator {
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<NodeJS.Timeout>();
  private ticks = 0;
  /** Default delays come from the latency model, seeded so a run is reproducible. */
  private readonly random = prng("push-simulator/latency");

  constructor(
    private readonly state: EmulatorState,
    readonly config: PushSimulatorConfig,
  ) {}

  /** One push now; answers what the control API returns. */
  async push(request: PushRequest): Promise<PushAnswer> {
    const { state } = this;
    const p = state.pipelines.get(request.account, request.region, request.pipeline);
    if (!p) return fail(404, `No pipeline '${request.pipeline}' in ${request.account}/${request.region}.`);
    const declaration = currentDeclaration(p);
    const source = sourceActionOf(declaration);
    if (!source) return fail(400, `Pipeline '${p.name}' has no CodeStarSourceConnection source action to push to.`);

    const now = state.now();
    const generation = state.generation;
    const { provider, hostEndpoint } = this.providerOf(p, source);
    const before = state.pipelines.latestCommit(source.repository, source.branch, now)?.sha ?? ZERO_SHA;
    const sha = createHash("sha1").update(`${source.repository}#${source.branch}\n${before}\n${now.toISOString()}\n${randomUUID()}`).digest("hex");
    const pick = prng(sha);
    const message = MESSAGES[Math.floor(pick() * MESSAGES.length)] ?? "Update";
    const author = AUTHORS[pick() < 0.7 ? 0 : 1] ?? { name: "Alice", username: "alice", email: "alice@example.com" };
    const files = filesFor(declaration, source, pick);
    state.pipelines.recordCommit({ repository: source.repository, branch: source.branch, sha, message, time: now, files });

    const deliveryId = randomUUID();
    let execution: ExecutionRecord | undefined;
    let delayMs: number | undefined;
    if (request.outcome === "start") {
      delayMs = request.delayMs ?? sampleLatencyMs(this.random);
      execution = state.pipelines.appendWebhookExecution({
        account: p.account,
        region: p.region,
        pipelineName: p.name,
        sha,
        startTime: new Date(now.getTime() + delayMs),
        commitMessage: message,
        pushedAt: now,
      });
    }
    const record = state.pushes.add({
      deliveryId,
      repository: source.repository,
      branch: source.branch,
      sha,
      before,
      message,
      files,
      pushedAt: now,
      provider,
      pipelines: [
        {
          account: p.account,
          region: p.region,
          name: p.name,
          outcome: request.outcome,
          ...(execution ? { executionId: execution.id } : {}),
          ...(delayMs !== undefined ? { latencyMs: delayMs } : {}),
        },
      ],
    });

    const delivery = await buildDelivery(
      {
        provider,
        repository: source.repository,
        branch: source.branch,
        before,
        after: sha,
        message,
        added: [],
        modified: files,
        removed: [],
        pushedAt: now,
        deliveryId,
        author,
        ...(hostEndpoint ? { hostEndpoint } : {}),
      } satisfies PushEvent,
      this.config.webhookSecret,
    );
    if (delivery) {
      const url = `${this.config.appUrl}${delivery.path}`;
      const answer = await post(url, delivery.headers, delivery.body);
      record.deliveredTo = url;
      record.delivered = answer.status;
      if (answer.error) record.deliveryError = answer.error;
    }
    if (execution) this.scheduleEvent(record, execution, generation);
    return {
      status: 200,
      body: {
        sha,
        deliveryId,
        delivered: record.delivered ?? null,
        ...(record.deliveredTo ? { deliveredTo: record.deliveredTo } : {}),
        ...(record.deliveryError ? { deliveryError: record.deliveryError } : {}),
        outcome: request.outcome,
        provider,
        repository: source.repository,
        branch: source.branch,
        pushedAt: now.toISOString(),
        ...(execution ? { executionId: execution.id, startTime: execution.startTime.toISOString(), delayMs } : {}),
      },
    };
  }

  /** The simulated pushes, newest first (the control API's view). */
  list(source: "simulator" | "fixture" | "all" = "simulator"): Record<string, unknown>[] {
    return this.state.pushes.list(source).map(describePush);
  }

  /** Background pushes: `perMinute` a minute (0 = off) to healthy pipelines. */
  start(perMinute: number): void {
    this.stop();
    if (!(perMinute > 0)) return;
    this.timer = setInterval(() => {
      this.tick().catch((e: unknown) => console.error("[emulator] simulated push failed:", e));
    }, 60_000 / perMinute);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
  }

  /**
   * One background push: a deterministic-random pick among the healthy pipelines (AVAILABLE
   * connection Tether receives pushes from — not Azure DevOps — and a trigger that starts on a
   * push to the source branch). The fixture's settings (`state.pushSimulator`) say how many are
   * dropped (default 5%) and on which connections every push is (the demo's missed-trigger one).
   */
  async tick(): Promise<PushAnswer | undefined> {
    const r = prng(`push-simulator/tick/${this.ticks++}`);
    const candidates = this.healthyPipelines();
    const p = candidates[Math.floor(r() * candidates.length)];
    if (!p) return undefined;
    const source = sourceActionOf(currentDeclaration(p));
    const connection = source ? this.state.codeConnections.connectionByArn(source.connectionArn) : undefined;
    const settings = this.state.pushSimulator;
    const dropAll =
      connection !== undefined &&
      (settings.dropAllOn ?? []).some((c) => c.account === connection.account && c.region === connection.region && c.connection === connection.name);
    const outcome: PushOutcome = dropAll || r() < (settings.dropShare ?? BACKGROUND_DROP_SHARE) ? "drop" : "start";
    const answer = await this.push({ account: p.account, region: p.region, pipeline: p.name, outcome });
    const b = answer.body;
    console.log(
      `[emulator] push ${String(b.repository)} ${String(b.branch)} ${String(b.sha).slice(0, 7)} → ${p.account}/${p.region}/${p.name} ` +
        `(${outcome}${b.delayMs !== undefined ? `, starts in ${(Number(b.delayMs) / 1000).toFixed(1)} s` : ""}); webhook ${b.delivered === null ? "not delivered" : String(b.delivered)}`,
    );
    return answer;
  }

  /** Pipelines a background push may pick, in a stable order. */
  healthyPipelines(): PipelineRecord[] {
    return this.state.pipelines
      .all()
      .filter((p) => {
        const declaration = currentDeclaration(p);
        const source = sourceActionOf(declaration);
        if (!source) return false;
        const connection = this.state.codeConnections.connectionByArn(source.connectionArn);
        if (connection?.status !== "AVAILABLE" || connection.providerType === "AzureDevOps") return false;
        return startsOnPush(declaration, source, filesFor(declaration, source, () => 0));
      })
      .sort((a, b) => a.seq - b.seq);
  }

  private providerOf(p: PipelineRecord, source: SourceActionInfo): { provider: ProviderType; hostEndpoint?: string } {
    const connection = this.state.codeConnections.connectionByArn(source.connectionArn);
    if (connection) {
      const host = connection.hostArn ? this.state.codeConnections.hostByArn(connection.hostArn) : undefined;
      return { provider: connection.providerType, ...(host ? { hostEndpoint: host.providerEndpoint } : {}) };
    }
    // A deleted connection: the provider its executions reported last.
    const last = [...p.executions].reverse().find((e) => e.revision)?.revision?.providerType;
    return { provider: (last as ProviderType | undefined) ?? "GitHub" };
  }

  private scheduleEvent(record: PushRecord, execution: ExecutionRecord, generation: number): void {
    const wait = Math.max(0, execution.startTime.getTime() - this.state.now().getTime());
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      if (this.state.generation !== generation) return; // reseeded: that execution is gone
      const event = startedEvent(execution);
      post(`${this.config.appUrl}/api/events/codepipeline`, { "Content-Type": "application/json", "x-tether-api-key": this.config.eventsKey }, JSON.stringify(event)).then(
        (answer) => {
          record.event = answer.status;
          if (answer.error) record.eventError = answer.error;
        },
        () => undefined,
      );
    }, wait);
    timer.unref();
    this.pending.add(timer);
  }
}

/**
 * The EventBridge event CodePipeline emits when an execution starts (source
 * `aws.codepipeline`; BEHAVIOR.md §13), as an API destination delivers it: the envelope and the
 * pipeline-level detail; no commit (the app reads it with GetPipelineExecution).
 */
export function startedEvent(e: ExecutionRecord): Record<string, unknown> {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "CodePipeline Pipeline Execution State Change",
    source: "aws.codepipeline",
    account: e.account,
    time: e.startTime.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: e.region,
    resources: [pipelineArn({ account: e.account, region: e.region, name: e.pipelineName })],
    detail: {
      pipeline: e.pipelineName,
      "execution-id": e.id,
      "start-time": e.startTime.toISOString(),
      "execution-trigger": { "trigger-type": e.trigger.triggerType, "trigger-detail": e.trigger.triggerDetail },
      state: "STARTED",
      version: e.pipelineVersion,
      "pipeline-execution-attempt": 1,
    },
  };
}

/** Files a commit touches: inside the first file-path filter the trigger includes, if any. */
export function filesFor(declaration: PipelineDeclaration, source: SourceActionInfo, r: () => number): string[] {
  const filters = declaration.triggers?.find((t) => t.gitConfiguration.sourceActionName === source.actionName)?.gitConfiguration.push ?? [];
  for (const f of filters) {
    const include = f.filePaths?.includes?.[0];
    if (!include) continue;
    const path = include.replace(/\*\*/g, "src/index.ts").replace(/\*/g, "handler").replace(/\?/g, "x");
    if (glob(include).test(path) && !(f.filePaths?.excludes ?? []).some((x) => glob(x).test(path))) return [path];
  }
  const first = DEFAULT_FILES[Math.floor(r() * DEFAULT_FILES.length)] ?? "src/index.ts";
  return first === "src/index.ts" ? [first] : ["src/index.ts", first];
}

/** Whether a push of `files` to the source branch starts the pipeline (V1/V2 without triggers: DetectChanges). */
function startsOnPush(declaration: PipelineDeclaration, source: SourceActionInfo, files: string[]): boolean {
  const trigger = declaration.triggers?.find((t) => t.gitConfiguration.sourceActionName === source.actionName);
  if (declaration.pipelineType === "V1" || !declaration.triggers?.length) return source.detectChanges;
  const push = trigger?.gitConfiguration.push;
  return push !== undefined && pushAccepted(push, source.branch, files);
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number | null; error?: string }> {
  try {
    const res = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(POST_TIMEOUT_MS) });
    await res.arrayBuffer().catch(() => undefined);
    return { status: res.status };
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
    return { status: null, error: `${e instanceof Error ? e.message : String(e)}${cause}` };
  }
}

function fail(status: number, message: string): PushAnswer {
  return { status, body: { error: message } };
}
