import { createHmac } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { buildDelivery, type PushEvent } from "@/emulator/pushes/payloads";
import { errorResponse } from "@/lib/api";
import { resetEnvForTests } from "@/lib/env";
import { DATABASE_UNAVAILABLE } from "@/lib/errors";
import { resetSingleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { WebhookProvider } from "@/lib/webhooks/verify";
import { deliveryOf } from "@/lib/webhooks/body";
import { receiveEvent, receivePush } from "./webhooks";

// The receivers end to end below HTTP: the answers table of docs/webhooks.md, row by row, with the
// deliveries the emulator's push simulator sends (so the app accepts them unchanged).

const OLD = "old-secret";
const NEW = "new-secret";
const KEY = "events-key-for-tests";
const PROVIDER_TYPE = { github: "GitHub", gitlab: "GitLab", bitbucket: "Bitbucket" } as const;
const PROVIDERS: WebhookProvider[] = ["github", "gitlab", "bitbucket"];

beforeEach(() => {
  const vars: Record<string, string> = {
    AWS_REGION: "us-east-1",
    TETHER_SCOPES: JSON.stringify([{ account: "111111111111", regions: ["us-east-1"] }]),
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret",
    TETHER_DATABASE_PATH: ":memory:",
    // Nothing answers here: the after-answer commit lookup fails fast instead of reaching AWS.
    AWS_ENDPOINT_URL: "http://127.0.0.1:9",
    TETHER_WEBHOOK_SECRETS_GITHUB: `${NEW},${OLD}`,
    TETHER_WEBHOOK_SECRETS_GITLAB: `${NEW},${OLD}`,
    TETHER_WEBHOOK_SECRETS_BITBUCKET: `${NEW},${OLD}`,
    TETHER_EVENTS_API_KEY: KEY,
  };
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  resetEnvForTests();
  resetSingleton();
});
afterEach(() => vi.unstubAllEnvs());

let seq = 0;
function pushEvent(provider: WebhookProvider, over: Partial<PushEvent> = {}): PushEvent {
  seq += 1;
  return {
    provider: PROVIDER_TYPE[provider],
    repository: "acme/web",
    branch: "main",
    before: "1".repeat(40),
    after: seq.toString(16).padStart(40, "a"),
    message: "Fix login",
    added: [],
    modified: ["src/index.ts"],
    removed: [],
    pushedAt: new Date("2026-11-25T20:00:00Z"),
    deliveryId: `delivery-${seq}`,
    author: { name: "Alice", username: "alice", email: "alice@example.com" },
    ...over,
  };
}

async function delivery(provider: WebhookProvider, secret = NEW, over: Partial<PushEvent> = {}) {
  const event = pushEvent(provider, over);
  const d = await buildDelivery(event, secret);
  if (!d) throw new Error("no delivery");
  return { ...d, event };
}

const request = (headers: Record<string, string>, body: string) => deliveryOf(new Request("http://localhost/api/webhooks/x", { method: "POST", headers, body }));

/** A body that records whether anyone read it (a stream with no buffer: nothing is pulled until read). */
function untouchedBody(text: string): ReadableStream<Uint8Array> & { pulled(): boolean } {
  let pulled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulled = true;
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return Object.assign(stream, { pulled: () => pulled });
}
const streamed = (headers: Record<string, string>, body: ReadableStream<Uint8Array>) => deliveryOf(new Request("http://localhost/api/webhooks/x", { method: "POST", headers, body, duplex: "half" } as RequestInit));

/** The provider's signature or token for a body we craft ourselves (malformed payloads). */
async function signedHeaders(provider: WebhookProvider, body: string, event: string): Promise<Record<string, string>> {
  if (provider === "github") return { "x-github-event": event, "x-github-delivery": `gh-${++seq}`, "x-hub-signature-256": await sign(NEW, body) };
  if (provider === "gitlab") return { "x-gitlab-event": event, "x-gitlab-event-uuid": `gl-${++seq}`, "x-gitlab-token": NEW };
  return { "x-event-key": event, "x-request-uuid": `bb-${++seq}`, "x-hub-signature": `sha256=${createHmac("sha256", NEW).update(body).digest("hex")}` };
}
const PUSH_EVENT = { github: "push", gitlab: "Push Hook", bitbucket: "repo:push" } as const;
const SIGNATURE_HEADER = { github: "X-Hub-Signature-256", gitlab: "X-Gitlab-Token", bitbucket: "X-Hub-Signature" } as const;

describe.each(PROVIDERS)("%s push receiver", (provider) => {
  test("stores a simulator push before answering 202 stored", async () => {
    const d = await delivery(provider);
    const answer = await receivePush(provider, request(d.headers, d.body));
    expect(answer).toEqual({ status: 202, body: { status: "stored" } });
    const stored = await getStore().latency.recentPushes(10);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ provider, repository: "acme/web", branch: "main", sha: d.event.after, deliveryId: d.event.deliveryId });
    // GitHub carries the push time; GitLab and Bitbucket use the receipt time.
    if (provider === "github") expect(stored[0]?.pushedAt).toBe(d.event.pushedAt.toISOString());
    else expect(stored[0]?.pushedAt).toBe(stored[0]?.receivedAt);
  });

  test("a re-delivery (same delivery id) answers 202 duplicate and stores nothing twice", async () => {
    const d = await delivery(provider);
    expect((await receivePush(provider, request(d.headers, d.body))).body).toEqual({ status: "stored" });
    expect(await receivePush(provider, request(d.headers, d.body))).toEqual({ status: 202, body: { status: "duplicate" } });
    expect((await getStore().latency.recentPushes(10))).toHaveLength(1);
  });

  test("a delivery signed with the previous secret is accepted while both are configured (rotation)", async () => {
    const d = await delivery(provider, OLD);
    expect((await receivePush(provider, request(d.headers, d.body))).status).toBe(202);
  });

  test("wrong secret, tampered body and missing signature answer 401 and store nothing", async () => {
    const wrong = await delivery(provider, "not-a-configured-secret");
    expect((await receivePush(provider, request(wrong.headers, wrong.body))).status).toBe(401);
    const d = await delivery(provider);
    // GitLab's token does not cover the body, so tampering is only detectable by signatures.
    if (provider !== "gitlab") expect((await receivePush(provider, request(d.headers, d.body.replace("acme/web", "acme/evil")))).status).toBe(401);
    const headers = Object.fromEntries(Object.entries(d.headers).filter(([k]) => k.toLowerCase() !== SIGNATURE_HEADER[provider].toLowerCase()));
    expect((await receivePush(provider, request(headers, d.body))).status).toBe(401);
    expect((await getStore().latency.recentPushes(10))).toHaveLength(0);
  });

  test("no secret configured for the provider: every delivery is 401", async () => {
    vi.stubEnv(`TETHER_WEBHOOK_SECRETS_${provider.toUpperCase()}`, "");
    resetEnvForTests();
    const d = await delivery(provider);
    expect((await receivePush(provider, request(d.headers, d.body))).status).toBe(401);
  });

  test("a body over 25 MiB is 413, checked before the signature", async () => {
    const forged = { [SIGNATURE_HEADER[provider]]: provider === "gitlab" ? "wrong-token" : `sha256=${"0".repeat(64)}` };
    const declared = await receivePush(provider, request({ ...forged, "content-length": String(25 * 1024 * 1024 + 1) }, "{}"));
    expect(declared.status).toBe(413);
    const streamed = await receivePush(provider, request({ ...forged, [SIGNATURE_HEADER[provider]]: provider === "gitlab" ? NEW : `sha256=${"0".repeat(64)}` }, "x".repeat(25 * 1024 * 1024 + 1)));
    expect(streamed.status).toBe(413);
  });

  test("10. no signature or token header at all: 401 before the body is read", async () => {
    const d = await delivery(provider);
    const headers = Object.fromEntries(Object.entries(d.headers).filter(([k]) => k.toLowerCase() !== SIGNATURE_HEADER[provider].toLowerCase()));
    const body = untouchedBody(d.body);
    expect((await receivePush(provider, streamed(headers, body))).status).toBe(401);
    expect(body.pulled()).toBe(false);
    // Even for a body declared over the cap: the missing header comes first.
    expect((await receivePush(provider, streamed({ ...headers, "content-length": String(26 * 1024 * 1024) }, untouchedBody("{}")))).status).toBe(401);
  });

  test("11. the same push (repository, branch, commit) under a new delivery id is 202 duplicate, stored once", async () => {
    const d = await delivery(provider);
    expect((await receivePush(provider, request(d.headers, d.body))).body).toEqual({ status: "stored" });
    const again = await delivery(provider, NEW, { after: d.event.after, deliveryId: `replay-${d.event.deliveryId}` });
    expect(await receivePush(provider, request(again.headers, again.body))).toEqual({ status: 202, body: { status: "duplicate" } });
    // A re-delivery of the replay's id is a duplicate too; another commit on that branch is a new push.
    expect((await receivePush(provider, request(again.headers, again.body))).body).toEqual({ status: "duplicate" });
    const next = await delivery(provider);
    expect((await receivePush(provider, request(next.headers, next.body))).body).toEqual({ status: "stored" });
    expect((await getStore().latency.recentPushes(10))).toHaveLength(2);
  });

  test("signed but malformed: not JSON, not an object, missing fields → 400 naming the problem", async () => {
    for (const body of ["{not json", "[1,2]", JSON.stringify({ ref: "refs/heads/main" })]) {
      const answer = await receivePush(provider, request(await signedHeaders(provider, body, PUSH_EVENT[provider]), body));
      expect(answer.status, body).toBe(400);
      expect(String(answer.body.error)).not.toBe("");
    }
    expect((await getStore().latency.recentPushes(10))).toHaveLength(0);
  });

  test("a branch deletion is 202 ignored; its re-delivery is 202 duplicate", async () => {
    let d = await delivery(provider, NEW, { after: "0".repeat(40) });
    if (provider === "bitbucket") {
      // Bitbucket marks a deleted branch with `new: null, closed: true` (the simulator never deletes).
      const body = JSON.parse(d.body) as { push: { changes: Record<string, unknown>[] } };
      body.push.changes = body.push.changes.map((c) => ({ ...c, new: null, closed: true }));
      const text = JSON.stringify(body);
      d = { ...d, body: text, headers: { ...d.headers, "X-Hub-Signature": `sha256=${createHmac("sha256", NEW).update(text).digest("hex")}` } };
    }
    const first = await receivePush(provider, request(d.headers, d.body));
    expect(first.status).toBe(202);
    expect(first.body.status).toBe("ignored");
    expect((await receivePush(provider, request(d.headers, d.body))).body).toEqual({ status: "duplicate" });
    expect((await getStore().latency.recentPushes(10))).toHaveLength(0);
  });

  // The failure is injected into the SQLite repository (its storePushDelivery calls this.savePush
  // inside the group commit's savepoint); lib/store/store.suite.ts checks the same rollback on both
  // engines, so the run with every store on PostgreSQL leaves this one out.
  test.skipIf(process.env.TETHER_TEST_STORE_ENGINE === "postgres")("a failed write stores neither the delivery nor the push, so the provider's retry is stored", async () => {
    const d = await delivery(provider);
    const latency = getStore().latency as unknown as Record<string, unknown>;
    // The repository's own savePush (called inside its transaction) fails once, then is restored.
    latency.savePush = () => {
      throw new Error("disk full");
    };
    await expect(receivePush(provider, request(d.headers, d.body))).rejects.toThrow("disk full");
    delete latency.savePush;
    expect(await receivePush(provider, request(d.headers, d.body))).toEqual({ status: 202, body: { status: "stored" } });
    expect(await getStore().latency.recentPushes(10)).toHaveLength(1);
  });
});

describe("the database unreachable", () => {
  test("a delivery is refused with 503 and Retry-After, nothing is stored, and the provider's retry is stored", async () => {
    const d = await delivery("github");
    const latency = getStore().latency as unknown as Record<string, unknown>;
    // What better-sqlite3 throws when another connection holds the write lock past busy_timeout.
    latency.savePush = () => {
      throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    };
    const refused = await receivePush("github", request(d.headers, d.body)).catch((e: unknown) => e);
    delete latency.savePush;
    expect(refused).toMatchObject({ kind: "unavailable", digest: DATABASE_UNAVAILABLE });
    const answer = errorResponse(refused);
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("10");
    expect(await answer.json()).toEqual({ error: expect.stringMatching(/^Tether's database is unreachable right now/) as unknown });
    expect(await getStore().latency.recentPushes(10)).toHaveLength(0);
    expect(await receivePush("github", request(d.headers, d.body))).toEqual({ status: 202, body: { status: "stored" } });
  });
});

describe("10. GitLab's token is checked before the body is read", () => {
  test("a wrong token is 401 without reading the body; a right one reads it", async () => {
    const d = await delivery("gitlab");
    const body = untouchedBody(d.body);
    expect((await receivePush("gitlab", streamed({ ...d.headers, "X-Gitlab-Token": "wrong" }, body))).status).toBe(401);
    expect(body.pulled()).toBe(false);
    expect((await receivePush("gitlab", streamed(d.headers, untouchedBody(d.body)))).body).toEqual({ status: "stored" });
  });
});

describe("11. GitLab signed webhooks: a timestamp older than five minutes is refused", () => {
  const key = Buffer.from("signing-key-0123456789abcdef").toString("base64");
  beforeEach(() => {
    vi.stubEnv("TETHER_WEBHOOK_SECRETS_GITLAB", `whsec_${key}`);
    resetEnvForTests();
  });
  async function signed(at: number) {
    const d = await delivery("gitlab");
    const headers = Object.fromEntries(Object.entries(d.headers).filter(([k]) => k.toLowerCase() !== "x-gitlab-token"));
    const id = `msg_${d.event.deliveryId}`;
    const ts = String(Math.floor(at / 1000));
    const sig = createHmac("sha256", Buffer.from(key, "base64")).update(`${id}.${ts}.${d.body}`).digest("base64");
    return request({ ...headers, "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": `v1,${sig}` }, d.body);
  }
  test("fresh: stored; six minutes old (a captured delivery replayed): 401", async () => {
    expect((await receivePush("gitlab", await signed(Date.now() - 60_000))).body).toEqual({ status: "stored" });
    expect((await receivePush("gitlab", await signed(Date.now() - 6 * 60_000))).status).toBe(401);
    expect((await receivePush("gitlab", await signed(Date.now() + 6 * 60_000))).status).toBe(401);
  });
});

test("GitHub ping answers 200", async () => {
  const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
  const answer = await receivePush("github", request(await signedHeaders("github", body, "ping"), body));
  expect(answer.status).toBe(200);
});

test("GitHub: another event (issues) is 202 ignored", async () => {
  const body = JSON.stringify({ action: "opened" });
  const answer = await receivePush("github", request(await signedHeaders("github", body, "issues"), body));
  expect(answer).toMatchObject({ status: 202, body: { status: "ignored" } });
});

describe("EventBridge receiver", () => {
  const started = (id: string, state = "STARTED") =>
    JSON.stringify({
      version: "0",
      id: `evt-${id}`,
      "detail-type": "CodePipeline Pipeline Execution State Change",
      source: "aws.codepipeline",
      account: "111111111111",
      time: "2026-11-25T20:00:05Z",
      region: "us-east-1",
      resources: ["arn:aws:codepipeline:us-east-1:111111111111:web"],
      detail: { pipeline: "web", "execution-id": id, "start-time": "2026-11-25T20:00:04.500Z", "execution-trigger": { "trigger-type": "WebhookV2", "trigger-detail": "arn" }, state, version: 1 },
    });
  const post = (body: string, key: string | null = KEY) => receiveEvent(deliveryOf(new Request("http://localhost/api/events/codepipeline", { method: "POST", headers: key === null ? {} : { "x-tether-api-key": key }, body })));

  test("a missing or wrong key is 401 before the body is read", async () => {
    expect((await post(started("e0"), null)).status).toBe(401);
    expect((await post(started("e0"), `${KEY}x`)).status).toBe(401);
    expect((await post("{not json", "wrong")).status).toBe(401);
  });

  test("malformed is 400; another state is ignored; STARTED is stored once, then duplicate", async () => {
    expect((await post("{not json")).status).toBe(400);
    expect((await post(JSON.stringify({ source: "aws.codepipeline" }))).status).toBe(400);
    expect((await post(started("e1", "SUCCEEDED"))).body.status).toBe("ignored");
    expect(await post(started("e1"))).toEqual({ status: 202, body: { status: "stored" } });
    expect(await post(started("e1"))).toEqual({ status: 202, body: { status: "duplicate" } });
  });

  test("an event over 256 KiB is 413", async () => {
    expect((await post("x".repeat(256 * 1024 + 1))).status).toBe(413);
  });
});
