import { beforeEach, describe, expect, test, vi } from "vitest";
import { DEMO_CASES, type DemoConnectionCase } from "../../emulator/fixtures";
import type { RunningEmulator } from "../../emulator/server";
import { awsEnv, emulatorPerFile } from "../../emulator/contract/helpers";
import { callAs } from "./test-caller";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";
import type { ObservedResource } from "@/lib/store/types";

/**
 * The pending queue's order against the emulator's demo fixture: oldest first by the time Tether
 * first saw the status (its status history; AWS has no timestamps), ties by name, and items whose
 * age Tether does not know last.
 */
const headers = new Headers();
vi.mock("next/headers", () => ({ headers: async () => headers }));

let emulator: RunningEmulator;
const A = "111111111111";
const ADMIN = "ops-admin@example.com";
const DAY = 86_400_000;

emulatorPerFile("demo", (e) => (emulator = e));

beforeEach(async () => {
  Object.assign(process.env, {
    ...awsEnv(emulator),
    TETHER_SCOPES: JSON.stringify([{ account: A, regions: ["us-east-1", "eu-west-1", "ap-southeast-2"] }]),
    TETHER_DATABASE_PATH: ":memory:",
    TETHER_ADMIN_EMAILS: ADMIN,
    TETHER_BACKGROUND: "off",
    TETHER_MIN_REFRESH_SECONDS: "0",
  });
  resetEnvForTests();
  resetSingleton();
  vi.restoreAllMocks();
  await callAs(headers, "viewer", { createdBy: ADMIN });
});

const observed = (c: DemoConnectionCase, status: string): ObservedResource => ({ kind: "connection", account: c.account, region: c.region, id: c.uuid, arn: c.arn, name: c.name, provider: "GitHub", status });
const { errorConnection, legacyPending, denyTarget, resumeTarget } = DEMO_CASES;

/** A PENDING connection of the demo that is not a named case; the listings below make it AVAILABLE first. */
const GHES_SECURITY_TOOLS: DemoConnectionCase = {
  account: A,
  region: "us-east-1",
  uuid: "d21a4bf7-5d40-447b-afb0-754fdf8d598f",
  name: "ghes-security-tools",
  arn: `arn:aws:codeconnections:us-east-1:${A}:connection/d21a4bf7-5d40-447b-afb0-754fdf8d598f`,
};

/**
 * Earlier complete listings of the account's connections, each holding every connection of the
 * one before (so none marks another DELETED): search-svc-gitlab in ERROR for 30 days;
 * billing-legacy-github and vendor-portal-github PENDING for 10 days, seen at the same instant;
 * onboarding-github PENDING for 2 days; ghes-security-tools seen 30 days ago but AVAILABLE until
 * a day ago — its status is 1 day old, though Tether has known it for 30.
 */
async function seedHistory(now: number): Promise<Record<string, string>> {
  const { getStore } = await import("@/lib/store");
  const listing = { kind: "connection" as const, account: A, region: null };
  const ago = (days: number) => new Date(now - days * DAY).toISOString();
  const record = (days: number, items: ObservedResource[]) => getStore().history.recordListing(listing, items, ago(days));
  const ghes = (status: string) => observed(GHES_SECURITY_TOOLS, status);
  // The tied pair is listed in reverse name order, so name order is not the order they came in.
  await record(30, [observed(errorConnection, "ERROR"), ghes("AVAILABLE")]);
  await record(10, [observed(errorConnection, "ERROR"), ghes("AVAILABLE"), observed(denyTarget, "PENDING"), observed(legacyPending, "PENDING")]);
  await record(2, [observed(errorConnection, "ERROR"), ghes("AVAILABLE"), observed(denyTarget, "PENDING"), observed(legacyPending, "PENDING"), observed(resumeTarget, "PENDING")]);
  await record(1, [observed(errorConnection, "ERROR"), ghes("PENDING"), observed(denyTarget, "PENDING"), observed(legacyPending, "PENDING"), observed(resumeTarget, "PENDING")]);
  return { [errorConnection.name]: ago(30), [legacyPending.name]: ago(10), [denyTarget.name]: ago(10), [resumeTarget.name]: ago(2), [GHES_SECURITY_TOOLS.name]: ago(1) };
}

/** The oldest five, as seeded. */
const SEEDED = ["search-svc-gitlab", "billing-legacy-github", "vendor-portal-github", "onboarding-github", "ghes-security-tools"];
/** The other pending and error connections of account 111111111111 (demo fixture): Tether first sees them now. */
const SEEN_NOW = ["kiosk-bitbucket", "partner-api-bitbucket", "reporting-ado", "tenders-ado", "translations-github"];
const PENDING_HOST = DEMO_CASES.pendingHost.name; // ghes-staging

describe("getPendingQueue", () => {
  test("oldest first by Tether's status since; equal times by name", async () => {
    const start = Date.now();
    const since = await seedHistory(start);
    const { getPendingQueue } = await import("./pending");
    const q = await getPendingQueue({ refresh: true });
    // 30 days; 10 days, tied, by name; 2 days; 1 day (known for 30, PENDING for 1).
    expect(q.items.map((i) => i.name).slice(0, 5)).toEqual(SEEDED);
    for (const i of q.items.slice(0, 5)) expect(i.statusSince).toBe(since[i.name]);
    // Then what this refresh saw first (each listing records at its own instant, so the host's may differ from the connections').
    const rest = q.items.slice(5);
    expect(rest.map((i) => i.name).sort()).toEqual([...SEEN_NOW, PENDING_HOST].sort());
    for (const i of rest) expect(Date.parse(i.statusSince ?? "")).toBeGreaterThanOrEqual(start);
    for (let k = 1; k < rest.length; k++) {
      const [a, b] = [rest[k - 1], rest[k]];
      if (!a || !b) continue;
      expect(a.statusSince === b.statusSince ? a.name < b.name : (a.statusSince ?? "") < (b.statusSince ?? "")).toBe(true);
    }
    // The connections of the one account listing share its instant: by name.
    const connections = rest.filter((i) => i.kind === "connection");
    expect(new Set(connections.map((i) => i.statusSince)).size).toBe(1);
    expect(connections.map((i) => i.name)).toEqual(SEEN_NOW);
  });

  test("items whose age Tether does not know come last, by name", async () => {
    const start = Date.now();
    await seedHistory(start);
    // This listing's history cannot be written (a database error): what it first saw has no "since".
    const { getStore } = await import("@/lib/store");
    vi.spyOn(getStore().history, "recordListing").mockImplementation(() => {
      throw new Error("disk I/O error");
    });
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { getPendingQueue } = await import("./pending");
    const q = await getPendingQueue({ refresh: true });
    expect(logged).toHaveBeenCalledWith("[tether] could not record status history", expect.any(Error));
    expect(q.items.map((i) => [i.name, i.statusSince === null])).toEqual([...SEEDED.map((name) => [name, false]), ...[...SEEN_NOW, PENDING_HOST].sort().map((name) => [name, true])]);
  });

  test("watches show on the next render without remaking the queue: a waiting item carries its watch, one a watch resolved stays listed", async () => {
    const { getStore } = await import("@/lib/store");
    const { getPendingQueue } = await import("./pending");
    const store = getStore();
    const first = await getPendingQueue({ refresh: true });
    const target = first.items.find((i) => i.name === resumeTarget.name);
    const other = first.items.find((i) => i.name === legacyPending.name);
    if (!target || !other) throw new Error("demo cases missing");
    expect(target.watch).toBeNull();
    const now = new Date();
    const intent = await store.audit.append({ actor: ADMIN, actorRole: "admin", via: "session", action: "connection.resume", targetKind: "connection", target: target.arn, outcome: "allowed" });
    const start = (i: typeof target) => store.watches.start({ kind: "connection", account: i.account, region: i.region, resourceId: i.id, arn: i.arn, name: i.name, auditId: intent.id, startedBy: ADMIN, startedAt: now.toISOString(), deadlineAt: new Date(now.getTime() + 900_000).toISOString(), statusBefore: "PENDING" });
    await start(target);
    // The same waiting items (the same objects: nothing remade), the watched one with its watch.
    const second = await getPendingQueue();
    expect(second.items.map((i) => i.name)).toEqual(first.items.map((i) => i.name));
    expect(second.items.find((i) => i.name === resumeTarget.name)?.watch).toMatchObject({ state: "watching" });
    expect(second.items.find((i) => i.name === legacyPending.name)).toBe(first.items.find((i) => i.name === legacyPending.name));

    // AWS makes the other one AVAILABLE and its watch sees it: after the relist it has left the queue and is listed resolved.
    const w = await start(other);
    const res = await fetch(`${emulator.url}/_emulator/connections/${other.id}/status`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "AVAILABLE" }) });
    expect(res.ok).toBe(true);
    await store.watches.finish(w.id, "completed", "AVAILABLE", new Date().toISOString());
    const third = await getPendingQueue({ refresh: true });
    expect(third.items.map((i) => i.name)).not.toContain(legacyPending.name);
    expect(third.resolved.map((i) => [i.name, i.status, i.watch?.state])).toEqual([[legacyPending.name, "AVAILABLE", "completed"]]);
  });

  test("a large fleet's queue is paged, 50 oldest first a page; a page that is not one shows the first", async () => {
    await fetch(`${emulator.url}/_emulator/seed`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fixture: "large" }) });
    const { getPendingQueue, PENDING_PAGE_SIZE } = await import("./pending");
    const q = await getPendingQueue({ refresh: true, page: "2" });
    expect(q.items.length).toBeGreaterThan(3 * PENDING_PAGE_SIZE);
    expect(q.page).toMatchObject({ page: 2, pages: Math.ceil(q.items.length / PENDING_PAGE_SIZE), total: q.items.length });
    expect(q.page.rows).toEqual(q.items.slice(PENDING_PAGE_SIZE, 2 * PENDING_PAGE_SIZE));
    for (const page of ["0", "-1", "two", "1e3", ""]) expect((await getPendingQueue({ page })).page.page).toBe(1);
    expect((await getPendingQueue({ page: "99999" })).page.page).toBe(q.page.pages);
  });
});
