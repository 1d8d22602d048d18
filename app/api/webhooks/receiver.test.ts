import { mkdtempSync } from "node:fs";
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
async function delivery(provider: "GitHub" | "GitLab" | "Bitbucket") {
  seq += 1;
  const d = await buildDelivery(
    { provider, repository: "acme/web", branch: "main", before: "1".repeat(40), after: seq.toString(16).padStart(40, "b"), message: "m", added: [], modified: ["a.ts"], removed: [], pushedAt: new Date("2026-11-25T20:00:00Z"), deliveryId: `route-${seq}`, author: { name: "A", username: "a", email: "a@example.com" } },
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

describe("push receiver routes", () => {
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
});
