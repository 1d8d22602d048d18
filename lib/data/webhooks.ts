import "server-only";
import { env } from "@/lib/env";
import { deliveryMetrics, recordStart, resolveAndJoin } from "@/lib/latency/engine";
import { getStore } from "@/lib/store";
import { declaredLength, MAX_WEBHOOK_BYTES, readCapped, TooLarge, type Delivery } from "@/lib/webhooks/body";
import { parseDelivery, PayloadError } from "@/lib/webhooks/parse";
import { credentialHeaderOf, deliveryIdOf, safeEqual, verifyDelivery, verifyHeaders, type WebhookProvider } from "@/lib/webhooks/verify";
import type { StartEvent } from "@/lib/types";

/**
 * The push receivers and the EventBridge receiver. Authenticated by the provider's signature or
 * the API key (not by a session: these routes are public), answered exactly as the answers
 * tables of docs/webhooks.md, and nothing is acknowledged before it is stored. What can
 * be refused from the headers is refused before the body is read: no credential header at all
 * (401), a declared size over the cap (413), a wrong GitLab token or API key (401).
 */

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const SECRETS: Record<WebhookProvider, () => string[]> = {
  github: () => env().TETHER_WEBHOOK_SECRETS_GITHUB,
  gitlab: () => env().TETHER_WEBHOOK_SECRETS_GITLAB,
  bitbucket: () => env().TETHER_WEBHOOK_SECRETS_BITBUCKET,
};

const TOO_LARGE: Answer = { status: 413, body: { error: "body over 25 MiB" } };
const UNSIGNED: Answer = { status: 401, body: { error: "signature or token missing or wrong" } };

export async function receivePush(provider: WebhookProvider, req: Delivery): Promise<Answer> {
  const h = req.headers;
  const secrets = SECRETS[provider]();
  if (!credentialHeaderOf(provider, h)) return UNSIGNED;
  if (declaredLength(req) > MAX_WEBHOOK_BYTES) return TOO_LARGE;
  const early = verifyHeaders(provider, h, secrets);
  if (early === "invalid") return UNSIGNED;
  let raw: string;
  try {
    raw = await readCapped(req);
  } catch (e) {
    if (e instanceof TooLarge) return TOO_LARGE;
    throw e;
  }
  if (early === "needs-body" && !(await verifyDelivery(provider, raw, h, secrets))) return UNSIGNED;
  let parsed;
  try {
    parsed = parseDelivery(provider, h, raw);
  } catch (e) {
    if (e instanceof PayloadError) return { status: 400, body: { error: e.message } };
    throw e;
  }
  if (parsed.kind === "ping") return { status: 200, body: { status: "pong" } };
  const deliveryId = deliveryIdOf(provider, h);
  if (!deliveryId) return { status: 400, body: { error: "missing delivery id header" } };

  const store = getStore();
  const receivedAt = new Date().toISOString();
  if (parsed.kind === "ignored") {
    const first = await store.latency.storeDelivery(provider, deliveryId, parsed.event, "ignored", receivedAt);
    return first ? { status: 202, body: { status: "ignored", reason: parsed.reason } } : { status: 202, body: { status: "duplicate" } };
  }
  const push = {
    provider,
    deliveryId,
    repository: parsed.repository,
    branch: parsed.branch,
    sha: parsed.sha,
    beforeSha: parsed.beforeSha,
    paths: parsed.paths,
    pushedAt: parsed.pushedAt ?? receivedAt,
    receivedAt,
  };
  // Committed (with the deliveries that arrived together: one fsync for a burst) before the answer.
  const stored = await store.latency.storePushDelivery(push, parsed.event, await deliveryMetrics(push));
  if (!stored) return { status: 202, body: { status: "duplicate" } };
  // Stored: the answer can go. The latency cycle joins the push with its pipelines' starts (a start
  // usually arrives after its push, and then its own receiver joins it: receiveEvent).
  return { status: 202, body: { status: "stored" } };
}

// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null);
const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);

/** An EventBridge "CodePipeline Pipeline Execution State Change" event, as EventBridge delivers it. */
export function parseEvent(raw: string): { kind: "start"; start: StartEvent } | { kind: "ignored"; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new PayloadError("the body is not JSON");
  }
  const e = obj(json);
  if (!e) throw new PayloadError("the body is not a JSON object");
  const detailType = str(e["detail-type"]);
  if (!detailType || !str(e.source)) throw new PayloadError("missing detail-type or source");
  if (e.source !== "aws.codepipeline" || detailType !== "CodePipeline Pipeline Execution State Change") return { kind: "ignored", reason: `${e.source} ${detailType}` };
  const detail = obj(e.detail);
  const account = str(e.account);
  const region = str(e.region);
  const pipeline = str(detail?.pipeline);
  const executionId = str(detail?.["execution-id"]);
  const state = str(detail?.state);
  if (!detail || !account || !/^\d{12}$/.test(account) || !region || !pipeline || !executionId || !state) throw new PayloadError("missing account, region, detail.pipeline, detail.execution-id or detail.state");
  if (state !== "STARTED") return { kind: "ignored", reason: `state ${state}` };
  const trigger = obj(detail["execution-trigger"]);
  const startTime = str(detail["start-time"]) ?? str(e.time);
  if (!startTime || Number.isNaN(Date.parse(startTime))) throw new PayloadError("missing or bad start-time / time");
  return {
    kind: "start",
    start: { account, region, pipeline, executionId, triggerType: str(trigger?.["trigger-type"]), triggerDetail: str(trigger?.["trigger-detail"]), startTime: new Date(startTime).toISOString() },
  };
}

export async function receiveEvent(req: Delivery): Promise<Answer> {
  const key = env().TETHER_EVENTS_API_KEY;
  const given = req.headers.get("x-tether-api-key");
  if (!key || given === null || !safeEqual(given, key)) return { status: 401, body: { error: "x-tether-api-key missing or wrong" } };
  let raw: string;
  try {
    raw = await readCapped(req, 256 * 1024);
  } catch (e) {
    if (e instanceof TooLarge) return { status: 413, body: { error: "event over 256 KiB" } };
    throw e;
  }
  let parsed;
  try {
    parsed = parseEvent(raw);
  } catch (e) {
    if (e instanceof PayloadError) return { status: 400, body: { error: e.message } };
    throw e;
  }
  if (parsed.kind === "ignored") return { status: 202, body: { status: "ignored", reason: parsed.reason } };
  if (!(await recordStart(parsed.start))) return { status: 202, body: { status: "duplicate" } };
  // Stored: fetch its commit (one GetPipelineExecution) and join, after answering.
  setImmediate(() => {
    resolveAndJoin().catch((e: unknown) => console.error("[tether] after event", e));
  });
  return { status: 202, body: { status: "stored" } };
}
