import { createHmac, timingSafeEqual } from "node:crypto";
import { verify } from "@octokit/webhooks-methods";
import { describe, expect, it } from "vitest";
import { prng } from "../prng";
import { sampleLatencyMs } from "./latency";
import { buildDelivery, ZERO_SHA, type PushEvent } from "./payloads";

/** A member of parsed JSON by path (`at(body, "repository", "pushed_at")`). */
const at = (v: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((o, k) => (typeof o === "object" && o !== null ? (o as Record<string | number, unknown>)[k] : undefined), v);

const SECRET = "tether-demo-webhook-secret";
const event = (over: Partial<PushEvent> = {}): PushEvent => ({
  provider: "GitHub",
  repository: "acme/web-frontend",
  branch: "main",
  before: "1".repeat(40),
  after: "2".repeat(40),
  message: "Fix login",
  added: [],
  modified: ["src/index.ts"],
  removed: [],
  pushedAt: new Date("2026-11-25T20:00:00.500Z"),
  deliveryId: "6a0c7a52-0b3e-4f2e-9a39-2b3d1c0d9e11",
  author: { name: "Alice", username: "alice", email: "alice@example.com" },
  ...over,
});

async function delivery(e: PushEvent, secret = SECRET) {
  const d = await buildDelivery(e, secret);
  if (!d) throw new Error("no delivery");
  return d;
}

describe("GitHub deliveries", () => {
  it("carry a X-Hub-Signature-256 that @octokit/webhooks-methods verifies, and fail with another secret", async () => {
    const d = await delivery(event());
    expect(d.path).toBe("/api/webhooks/github");
    const signature = d.headers["X-Hub-Signature-256"] ?? "";
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await verify(SECRET, d.body, signature)).toBe(true);
    expect(await verify("another-secret", d.body, signature)).toBe(false);
    expect(await verify(SECRET, `${d.body} `, signature)).toBe(false);
    expect(d.headers["X-Hub-Signature"]).toBe(`sha1=${createHmac("sha1", SECRET).update(d.body).digest("hex")}`);
  });

  it("carry the push headers and a realistic payload (pushed_at in epoch seconds)", async () => {
    const d = await delivery(event());
    expect(d.headers).toMatchObject({
      "Content-Type": "application/json",
      "X-GitHub-Event": "push",
      "X-GitHub-Delivery": "6a0c7a52-0b3e-4f2e-9a39-2b3d1c0d9e11",
      "User-Agent": expect.stringMatching(/^GitHub-Hookshot\/[0-9a-f]{7}$/),
    });
    expect(d.headers["X-GitHub-Enterprise-Host"]).toBeUndefined();
    const body = JSON.parse(d.body) as unknown;
    expect(body).toMatchObject({ ref: "refs/heads/main", before: "1".repeat(40), after: "2".repeat(40), created: false, deleted: false, forced: false });
    expect(at(body, "repository")).toMatchObject({ name: "web-frontend", full_name: "acme/web-frontend", pushed_at: 1795636800, default_branch: "main" });
    expect(Number.isInteger(at(body, "repository", "created_at"))).toBe(true);
    expect(at(body, "repository", "updated_at")).toBe("2026-11-25T20:00:00Z");
    expect(at(body, "head_commit")).toMatchObject({ id: "2".repeat(40), message: "Fix login", timestamp: "2026-11-25T20:00:00+00:00", modified: ["src/index.ts"] });
    expect(at(body, "commits")).toEqual([at(body, "head_commit")]);
    expect(at(body, "pusher")).toEqual({ name: "alice", email: "alice@example.com" });
    expect(at(body, "sender", "login")).toBe("alice");
  });

  it("name the Enterprise host for GitHub Enterprise Server; a new branch is created", async () => {
    const d = await delivery(event({ provider: "GitHubEnterpriseServer", hostEndpoint: "https://github.example.com", before: ZERO_SHA }));
    expect(d.path).toBe("/api/webhooks/github");
    expect(d.headers["X-GitHub-Enterprise-Host"]).toBe("github.example.com");
    const body = JSON.parse(d.body) as unknown;
    expect(at(body, "created")).toBe(true);
    expect(at(body, "repository", "html_url")).toBe("https://github.example.com/acme/web-frontend");
  });
});

describe("Bitbucket deliveries", () => {
  it("sign the raw body with X-Hub-Signature sha256= (node crypto and @octokit verify agree)", async () => {
    const d = await delivery(event({ provider: "Bitbucket", repository: "acme/payments-api" }));
    expect(d.path).toBe("/api/webhooks/bitbucket");
    const header = d.headers["X-Hub-Signature"] ?? "";
    const expected = `sha256=${createHmac("sha256", SECRET).update(d.body).digest("hex")}`;
    expect(timingSafeEqual(Buffer.from(header), Buffer.from(expected))).toBe(true);
    expect(await verify(SECRET, d.body, header)).toBe(true);
    expect(header).not.toBe(`sha256=${createHmac("sha256", "wrong").update(d.body).digest("hex")}`);
    expect(d.headers).toMatchObject({ "X-Event-Key": "repo:push", "X-Request-UUID": event().deliveryId, "X-Attempt-Number": "1" });
    expect(d.headers["X-Hook-UUID"]).toMatch(/^[0-9a-f-]{36}$/);
    const body = JSON.parse(d.body) as unknown;
    expect(at(body, "repository")).toMatchObject({ full_name: "acme/payments-api", name: "payments-api", uuid: expect.stringMatching(/^\{[0-9a-f-]{36}\}$/) });
    expect(at(body, "actor", "nickname")).toBe("alice");
    const change = at(body, "push", "changes", 0);
    expect(change).toMatchObject({ created: false, closed: false, forced: false });
    expect(at(change, "new")).toMatchObject({ type: "branch", name: "main", target: { type: "commit", hash: "2".repeat(40), message: "Fix login\n" } });
    expect(at(change, "old", "target", "hash")).toBe("1".repeat(40));
    expect(at(change, "commits", 0, "hash")).toBe("2".repeat(40));
  });
});

describe("GitLab deliveries", () => {
  it("send the secret as X-Gitlab-Token (plain equality) and the push payload", async () => {
    const d = await delivery(event({ provider: "GitLabSelfManaged", hostEndpoint: "https://gitlab.example.com", repository: "acme/analytics-dashboards" }));
    expect(d.path).toBe("/api/webhooks/gitlab");
    expect(d.headers["X-Gitlab-Token"]).toBe(SECRET);
    expect(d.headers["X-Gitlab-Token"]).not.toBe("wrong");
    expect(d.headers).toMatchObject({ "X-Gitlab-Event": "Push Hook", "X-Gitlab-Event-UUID": event().deliveryId, "X-Gitlab-Instance": "https://gitlab.example.com" });
    expect(d.headers["X-Gitlab-Webhook-UUID"]).toMatch(/^[0-9a-f-]{36}$/);
    const body = JSON.parse(d.body) as unknown;
    expect(body).toMatchObject({ object_kind: "push", event_name: "push", ref: "refs/heads/main", checkout_sha: "2".repeat(40), user_username: "alice", total_commits_count: 1 });
    expect(at(body, "project")).toMatchObject({ path_with_namespace: "acme/analytics-dashboards", default_branch: "main", web_url: "https://gitlab.example.com/acme/analytics-dashboards" });
    expect(at(body, "commits", 0)).toMatchObject({ id: "2".repeat(40), message: "Fix login", timestamp: "2026-11-25T20:00:00+00:00", modified: ["src/index.ts"] });
  });

  it("gitlab.com for GitLab; Azure DevOps has no delivery", async () => {
    expect((await delivery(event({ provider: "GitLab" }))).headers["X-Gitlab-Instance"]).toBe("https://gitlab.com");
    expect(await buildDelivery(event({ provider: "AzureDevOps" }), SECRET)).toBeUndefined();
  });
});

describe("latency model", () => {
  it("is skewed: median about 4 s, p90 about 10 s, p99 between 45 s and 120 s", () => {
    const r = prng("latency-test");
    const samples = Array.from({ length: 20_000 }, () => sampleLatencyMs(r)).sort((a, b) => a - b);
    const q = (p: number) => samples[Math.ceil((p / 100) * samples.length) - 1] ?? NaN;
    expect(q(50)).toBeGreaterThan(3_500);
    expect(q(50)).toBeLessThan(4_800);
    expect(q(90)).toBeGreaterThan(7_000);
    expect(q(90)).toBeLessThan(13_000);
    expect(q(99)).toBeGreaterThan(45_000);
    expect(q(99)).toBeLessThan(120_000);
    expect(samples[0]).toBeGreaterThanOrEqual(800);
    expect(samples[samples.length - 1]).toBeLessThanOrEqual(300_000);
  });
});
