import { createHmac } from "node:crypto";
import { mkdtempSync, renameSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { buildDelivery } from "@/emulator/pushes/payloads";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";
// Tests may reach below the data layer (the rule that keeps app/ off the store is for routes).
// eslint-disable-next-line no-restricted-imports
import { getStore } from "@/lib/store";
import { POST as bitbucket } from "./bitbucket/route";
import { POST as github } from "./github/route";
import { POST as gitlab } from "./gitlab/route";
import { POST as other } from "./[provider]/route";

// The receivers as Next calls them (the route modules' POST), on a database file: the writes go
// through the writer thread, as in production.

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
describe("push receiver routes", { timeout: 30_000 }, () => {
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
    }
    expect(pushes()).toEqual(["github", "gitlab", "bitbucket"]);
  });

  test("any other name answers 404 naming the receivers", async () => {
    const res = await other(new Request("http://localhost/api/webhooks/azuredevops", { method: "POST", body: "{}" }), { params: Promise.resolve({ provider: "azuredevops" }) });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "no receiver for azuredevops; use github, gitlab or bitbucket" });
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
    expect((await github(signed("{}", "push", "t-3", { "content-length": String(26 * 1024 * 1024) }))).status).toBe(413);
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
