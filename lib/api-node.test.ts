import { createHmac } from "node:crypto";
import { mkdtempSync, renameSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { buildDelivery } from "@/emulator/pushes/payloads";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import bitbucketRoute from "@/pages/api/webhooks/bitbucket";
import githubRoute from "@/pages/api/webhooks/github";
import gitlabRoute from "@/pages/api/webhooks/gitlab";
import otherRoute from "@/pages/api/webhooks/[provider]";
import eventsRoute from "@/pages/api/events/codepipeline";

// The receivers as Next calls them (the pages/api/ modules' default export, with Node's request
// and response), behind a node:http server on a random port, on a database file: the writes go
// through the writer thread, as in production.

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;
const routes: Record<string, NodeHandler> = {
  "/api/webhooks/github": githubRoute,
  "/api/webhooks/gitlab": gitlabRoute,
  "/api/webhooks/bitbucket": bitbucketRoute,
  "/api/events/codepipeline": eventsRoute,
};
let server: http.Server;
let origin = "";
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const route = routes[pathname];
    if (route) return void route(req, res);
    // The dynamic route gets its segment as Next's Pages router passes it.
    Object.assign(req, { query: { provider: pathname.split("/").pop() } });
    void (otherRoute as unknown as NodeHandler)(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/**
 * A web Request sent to the server as is: its method, headers (a Content-Length as given, even
 * one that the body does not match: the body is then not sent) and body; the answer as a Response.
 */
async function send(req: Request): Promise<Response> {
  const body = Buffer.from(await req.arrayBuffer());
  const headers = Object.fromEntries(req.headers);
  const declared = headers["content-length"];
  return new Promise((resolve, reject) => {
    const out = http.request(origin + new URL(req.url).pathname, { method: req.method, headers: declared ? headers : { ...headers, "content-length": String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), { status: res.statusCode, headers: Object.entries(res.headers).map(([k, v]) => [k, String(v)] as [string, string]) })));
    });
    out.on("error", reject);
    if (!declared || Number(declared) === body.length) out.end(body);
    else out.flushHeaders();
  });
}
const github = send;
const gitlab = send;
const bitbucket = send;

const SECRET = "route-test-secret";
let file = "";

beforeEach(() => {
  file = path.join(mkdtempSync(path.join(os.tmpdir(), "tether-receiver-")), "t.db");
  const vars: Record<string, string> = {
    AWS_REGION: "us-east-1",
    TETHER_SCOPES: JSON.stringify([{ account: "111111111111", regions: ["us-east-1"] }]),
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret",
    TETHER_DATABASE_PATH: file,
    AWS_ENDPOINT_URL: "http://127.0.0.1:9",
    TETHER_WEBHOOK_SECRETS_GITHUB: SECRET,
    TETHER_WEBHOOK_SECRETS_GITLAB: SECRET,
    TETHER_WEBHOOK_SECRETS_BITBUCKET: SECRET,
    TETHER_EVENTS_API_KEY: "events-key",
  };
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  resetEnvForTests();
  resetSingleton();
});
afterEach(async () => {
  await getStore().close();
  vi.unstubAllEnvs();
});

let seq = 0;
async function delivery(provider: "GitHub" | "GitLab" | "Bitbucket", over: { branch?: string } = {}) {
  seq += 1;
  const d = await buildDelivery(
    { provider, repository: "acme/web", branch: over.branch ?? "main", before: "1".repeat(40), after: seq.toString(16).padStart(40, "b"), message: "m", added: [], modified: ["a.ts"], removed: [], pushedAt: new Date("2026-11-25T20:00:00Z"), deliveryId: `route-${seq}`, author: { name: "A", username: "a", email: "a@example.com" } },
    SECRET,
  );
  if (!d) throw new Error("no delivery");
  return () => new Request(`http://localhost${d.path}`, { method: "POST", headers: d.headers, body: d.body });
}

const pushes = () => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT provider FROM pushes ORDER BY id").all() as { provider: string }[]).map((r) => r.provider);
  } finally {
    db.close();
  }
};

// Each test starts a writer thread from source (through tsx): seconds on a busy machine.
describe("push receiver routes (pages/api/webhooks/*, as Node handlers)", { timeout: 30_000 }, () => {
  test("each static route receives its provider's pushes; the push is in the file when the 202 is sent", async () => {
    for (const [handler, provider] of [
      [github, "GitHub"],
      [gitlab, "GitLab"],
      [bitbucket, "Bitbucket"],
    ] as const) {
      const res = await handler((await delivery(provider))());
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ status: "stored" });
      expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
    expect(pushes()).toEqual(["github", "gitlab", "bitbucket"]);
  });

  test("any other name answers 404 naming the receivers; a method other than POST is 405 with Allow: POST", async () => {
    getStore(); // the file exists (and stays empty)
    const res = await send(new Request("http://localhost/api/webhooks/azuredevops", { method: "POST", body: "{}" }));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "no receiver for azuredevops; use github, gitlab or bitbucket" });
    for (const path of ["/api/webhooks/github", "/api/webhooks/azuredevops", "/api/events/codepipeline"]) {
      for (const method of ["GET", "PUT", "DELETE"]) {
        const refused = await send(new Request(`http://localhost${path}`, { method }));
        expect([path, method, refused.status, refused.headers.get("allow")]).toEqual([path, method, 405, "POST"]);
        expect(await refused.json()).toEqual({ error: `${method} is not allowed here: deliveries are POSTed` });
      }
    }
    expect(pushes()).toEqual([]);
  });

  test("the EventBridge receiver: 401 without its key, 400 for a malformed event, 202 ignored for another event", async () => {
    const event = (body: string, key?: string) => send(new Request("http://localhost/api/events/codepipeline", { method: "POST", headers: { "content-type": "application/json", ...(key ? { "x-tether-api-key": key } : {}) }, body }));
    const ignored = JSON.stringify({ source: "aws.codepipeline", "detail-type": "CodePipeline Stage Execution State Change", detail: {} });
    expect([(await event(ignored)).status, (await event(ignored, "wrong")).status]).toEqual([401, 401]);
    const malformed = await event("{", "events-key");
    expect([malformed.status, await malformed.json()]).toEqual([400, { error: "the body is not JSON" }]);
    const answer = await event(ignored, "events-key");
    expect([answer.status, await answer.json()]).toEqual([202, { status: "ignored", reason: "aws.codepipeline CodePipeline Stage Execution State Change" }]);
  });

  test("the writer thread dying before it reports the push: 500 (the provider redelivers); the redelivery is stored once", async () => {
    const request = await delivery("GitHub");
    expect((await github((await delivery("GitHub"))())).status).toBe(202); // the thread is running
    const thread = (getStore().latency as unknown as { writer: { commit: (b: unknown[]) => Promise<unknown>; current: { worker: Worker } | null } }).writer;
    const commit = thread.commit.bind(thread);
    // The next batch is handed to the thread, which is then killed before it can answer.
    thread.commit = (batch) => {
      const answer = commit(batch);
      void thread.current?.worker.terminate();
      thread.commit = commit;
      return answer;
    };
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const failed = await github(request());
    expect(failed.status).toBe(500);
    // The redelivery: stored by a new thread, or "duplicate" if the dead one had committed it.
    const retried = await github(request());
    expect(retried.status).toBe(202);
    expect(["stored", "duplicate"]).toContain(((await retried.json()) as { status: string }).status);
    expect(pushes()).toHaveLength(2);
  });

  test("the answers table of docs/webhooks.md, through the static route", async () => {
    const signed = (body: string, event: string, id: string, headers: Record<string, string> = {}) =>
      new Request("http://localhost/api/webhooks/github", { method: "POST", headers: { "content-type": "application/json", "x-github-event": event, "x-github-delivery": id, "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`, ...headers }, body });
    const answer = async (res: Response) => [res.status, await res.json(), res.headers.get("cache-control")] as const;
    const json = (status: number, body: unknown) => [status, body, "no-store, no-transform"];
    // No credential header at all, and a wrong signature: 401.
    expect(await answer(await github(new Request("http://localhost/api/webhooks/github", { method: "POST", headers: { "x-github-event": "push", "x-github-delivery": "t-1" }, body: "{}" })))).toEqual(json(401, { error: "signature or token missing or wrong" }));
    expect(await answer(await github(signed("{}", "push", "t-2", { "x-hub-signature-256": `sha256=${"0".repeat(64)}` })))).toEqual(json(401, { error: "signature or token missing or wrong" }));
    // A declared size over 25 MiB: 413 before anything is read.
    // The body is never sent: the answer comes anyway, and the connection is closed after it.
    const tooLarge = await github(signed("{}", "push", "t-3", { "content-length": String(26 * 1024 * 1024) }));
    expect([tooLarge.status, await tooLarge.json(), tooLarge.headers.get("connection")]).toEqual([413, { error: "body over 25 MiB" }, "close"]);
    // Signed but malformed: 400 naming the problem.
    const malformed = await github(signed("{not json", "push", "t-4"));
    expect(malformed.status).toBe(400);
    // A ping: 200.
    expect(await answer(await github(signed(JSON.stringify({ zen: "z", hook_id: 1 }), "ping", "t-5")))).toEqual(json(200, { status: "pong" }));
    // Stored, then the same delivery again: duplicate.
    const push = await delivery("GitHub");
    expect(await answer(await github(push()))).toEqual(json(202, { status: "stored" }));
    expect(await answer(await github(push()))).toEqual(json(202, { status: "duplicate" }));
    // An event Tether does not use: ignored, and its delivery id kept (a retry is a duplicate).
    const issues = signed(JSON.stringify({ action: "opened" }), "issues", "t-6");
    const ignored = await answer(await github(issues.clone()));
    expect([ignored[0], (ignored[1] as { status: string }).status]).toEqual([202, "ignored"]);
    expect(await answer(await github(issues))).toEqual(json(202, { status: "duplicate" }));
    expect(pushes()).toEqual(["github"]);
  });

  test("the writer thread cannot open the database file: 503 with Retry-After, nothing stored; once it can, the redelivery is stored", async () => {
    const request = await delivery("GitHub");
    getStore(); // the main connection is open (and the file migrated) before the folder goes
    // The folder moved away: the thread's own connection cannot be opened (SQLITE_CANTOPEN).
    const dir = path.dirname(file);
    renameSync(dir, `${dir}-away`);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    let refused: Response;
    try {
      refused = await github(request());
    } finally {
      renameSync(`${dir}-away`, dir);
    }
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("10");
    expect(await refused.json()).toEqual({ error: expect.stringMatching(/^Tether's database is unreachable right now \(the SQLite file cannot be opened\)/) as unknown });
    expect(pushes()).toEqual([]);
    const retried = await github(request());
    expect([retried.status, await retried.json()]).toEqual([202, { status: "stored" }]);
    expect(pushes()).toEqual(["github"]);
  });

  test("another connection holds the write lock past busy_timeout: 503 (SQLITE_BUSY from the thread), nothing stored; the redelivery is stored", async () => {
    expect((await github((await delivery("GitHub"))())).status).toBe(202); // the thread is running
    const request = await delivery("GitHub");
    const holder = new Database(file);
    holder.exec("BEGIN IMMEDIATE");
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    let refused: Response;
    try {
      refused = await github(request());
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ error: expect.stringMatching(/^Tether's database is unreachable right now \(the SQLite file is locked\)/) as unknown });
    expect(pushes()).toHaveLength(1);
    expect((await github(request())).status).toBe(202);
    expect(pushes()).toHaveLength(2);
  });
});
