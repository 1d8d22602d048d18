import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { resetSingleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { AlertSubject } from "@/lib/types";
import { GET } from "@/app/api/alerts/route";
import { POST as acknowledgeRoute } from "@/app/api/alerts/[id]/acknowledge/route";
import { POST as silenceRoute } from "@/app/api/alerts/[id]/silence/route";
import { acknowledgeAlert, addMaintenanceWindow, endMaintenanceWindow, getAlert, getRulesView, silenceAlert, updateRule } from "./alerts";
import type { Principal } from "./session";

/**
 * The alert actions and API routes (handlers called directly, as the framework would): the role
 * is checked first and a refusal is audited whatever the body; admins get specific 400s for bad
 * bodies; every allowed or failed attempt is audited.
 */

const principal = vi.hoisted(() => ({ current: null as Principal | null }));
vi.mock("./session", () => ({
  currentPrincipal: async () => principal.current,
  requireRole: async (role: "viewer" | "admin") => {
    const p = principal.current;
    if (!p) throw new AppError("unauthenticated", "sign-in required");
    if (role === "admin" && p.role !== "admin") throw new AppError("forbidden", "admins only");
    return p;
  },
}));

const alice: Principal = { id: "alice@example.com", name: "Alice", role: "admin", via: "session", allowed: true };
const bob: Principal = { id: "bob@example.com", name: "Bob", role: "viewer", via: "session", allowed: true };
const subject: AlertSubject = { kind: "connection", id: "b46e6780-f86f-4021-b10c-ccba2f8e35b4", name: "docs-site-github", account: "111111111111", region: "us-east-1", arn: "arn:aws:codeconnections:us-east-1:111111111111:connection/b46e6780-f86f-4021-b10c-ccba2f8e35b4", provider: "GitHub" };

beforeEach(() => {
  for (const [k, v] of Object.entries({ AWS_REGION: "us-east-1", TETHER_DATABASE_PATH: ":memory:", TETHER_NOTIFY_SLACK_URLS: "https://hooks.slack.com/services/T/B/X" })) vi.stubEnv(k, v);
  resetEnvForTests();
  resetSingleton();
  principal.current = alice;
});
afterEach(() => vi.unstubAllEnvs());

async function firingAlert(): Promise<number> {
  const at = new Date().toISOString();
  const event = { rule: "connection-error" as const, ruleTitle: "Connection in ERROR", state: "firing" as const, since: at, firedAt: at, resolvedAt: null, summary: "Connection docs-site-github is ERROR", detail: "d", subject, guidance: { who: "An owner", howTo: "Reinstall." } };
  const { fired } = await getStore().alerts.apply({ at, track: [], untrack: [], renotify: [], resolve: [], refresh: [], fire: [{ ruleId: "connection-error", subjectKey: "k", subject, since: at, summary: event.summary, detail: "d", event, notified: true, note: null, channels: ["slack-x"] }] });
  return fired[0] ?? 0;
}

const post = (body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) => new Request("http://localhost:3000/api/alerts/1/acknowledge", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const refusals = async (action: string) => (await getStore().audit.list({ action, outcome: "refused" }, { limit: 10, offset: 0 })).records;

describe("acknowledge and silence: admins only, the role checked before the body", () => {
  test("a viewer is refused 403 and audited, whatever it sends; its body is never read", async () => {
    const id = await firingAlert();
    principal.current = bob;
    const body = vi.fn(async () => ({ reason: "x" }));
    await expect(acknowledgeAlert(String(id), body)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(silenceAlert(String(id), body)).rejects.toMatchObject({ kind: "forbidden" });
    expect(body).not.toHaveBeenCalled();
    for (const b of [{ reason: "fine" }, "not json at all", { until: "never" }, {}]) {
      const res = await acknowledgeRoute(post(b), ctx(String(id)) as never);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: "admins only" });
    }
    expect((await silenceRoute(post({ hours: 1, reason: "x" }), ctx(String(id)) as never)).status).toBe(403);
    const ack = await refusals("alert.acknowledge");
    expect(ack.map((r) => [r.actor, r.actorRole, r.target, r.detail])).toEqual([["bob@example.com", "viewer", String(id), "role viewer"]]);
    expect((await refusals("alert.silence")).map((r) => r.actor)).toEqual(["bob@example.com"]);
    expect((await getStore().alerts.get(id))).toMatchObject({ acknowledgedAt: null, silencedUntil: null });
  });

  test("signed out: 401", async () => {
    principal.current = null;
    expect((await acknowledgeRoute(post({ reason: "x" }), ctx("1") as never)).status).toBe(401);
  });

  test("an admin's bad body is 400 with a specific message", async () => {
    const id = String(await firingAlert());
    const cases: [unknown, string, "ack" | "silence"][] = [
      ["{nope", 'body: not JSON (send Content-Type: application/json and a JSON object, e.g. {"reason": "…"})', "ack"],
      [{}, "reason: say why (1 to 500 characters)", "ack"],
      [{ reason: "   " }, "reason: say why (1 to 500 characters)", "ack"],
      [{ reason: "x".repeat(501) }, "reason: at most 500 characters", "ack"],
      [{ reason: "ok", extra: 1 }, 'Unrecognized key: "extra"', "ack"],
      [{ reason: "ok" }, "give either until (an ISO 8601 time) or hours, not both", "silence"],
      [{ reason: "ok", hours: 2, until: "2030-01-01T00:00:00Z" }, "give either until (an ISO 8601 time) or hours, not both", "silence"],
      [{ reason: "ok", hours: 0 }, "hours: more than 0", "silence"],
      [{ reason: "ok", hours: 721 }, "hours: at most 720 (30 days)", "silence"],
      [{ reason: "ok", until: "2001-01-01T00:00:00Z" }, "until: must be a time in the future, at most 30 days ahead", "silence"],
      [{ reason: "ok", until: "tomorrow" }, "until: must be a time in the future, at most 30 days ahead", "silence"],
    ];
    for (const [body, message, which] of cases) {
      const res = await (which === "ack" ? acknowledgeRoute : silenceRoute)(post(body), ctx(id) as never);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error, JSON.stringify(body)).toContain(message);
    }
    expect((await acknowledgeRoute(post("x".repeat(10_001)), ctx(id) as never)).status).toBe(400);
  });

  test("acknowledged, audited; then silenced until a time, audited; the alert page shows both", async () => {
    const id = await firingAlert();
    const res = await acknowledgeRoute(post({ reason: "on it" }), ctx(String(id)) as never);
    expect(res.status).toBe(200);
    const json = (await res.json()) as { alert: { id: number; acknowledged: unknown }; auditId: number };
    expect(json.alert).toMatchObject({ id, acknowledged: { by: "alice@example.com", reason: "on it" } });
    expect(await getStore().audit.get(json.auditId)).toMatchObject({ action: "alert.acknowledge", outcome: "allowed", target: String(id), targetName: "connection-error: docs-site-github", detail: "on it" });
    const until = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const silenced = await silenceAlert(String(id), async () => ({ until, reason: "vendor outage" }));
    expect(silenced.alert.silenced).toEqual({ until, by: "alice@example.com", reason: "vendor outage" });
    const detail = await getAlert(String(id));
    expect(detail?.transitions.map((t) => [t.kind, t.actor])).toEqual([
      ["fired", null],
      ["acknowledged", "alice@example.com"],
      ["silenced", "alice@example.com"],
    ]);
    expect(detail?.alert.deliveries.map((d) => [d.channel, d.channelLabel, d.state])).toEqual([["slack-x", "slack-x (no longer configured)", "pending"]]);
  });

  test("unknown alert: 404; resolved alert: 409; both audited as errors", async () => {
    const id = await firingAlert();
    await getStore().alerts.apply({ at: new Date().toISOString(), track: [], untrack: [], fire: [], renotify: [], refresh: [], resolve: [{ alertId: id, event: (await getStore().alerts.transitions([id]))[0]?.event as never, notified: false, note: null, channels: [] }] });
    await expect(acknowledgeAlert(String(id), async () => ({ reason: "late" }))).rejects.toMatchObject({ kind: "conflict", message: `alert #${id} is resolved: only a firing alert can be acknowledged or silenced` });
    await expect(acknowledgeAlert("999", async () => ({ reason: "x" }))).rejects.toMatchObject({ kind: "not_found" });
    expect((await acknowledgeRoute(post({ reason: "x" }), ctx("abc") as never)).status).toBe(404);
    const errors = (await getStore().audit.list({ action: "alert.acknowledge", outcome: "error" }, { limit: 10, offset: 0 })).records;
    expect(errors.map((r) => r.detail)).toEqual(["no such alert", "no such alert", `alert #${id} is resolved`]);
  });
});

describe("GET /api/alerts", () => {
  test("a viewer reads every alert with its id, rule, state, since and subject; filters; bad filters are 400", async () => {
    const id = await firingAlert();
    principal.current = bob;
    const res = await GET(new NextRequest("http://localhost:3000/api/alerts?state=firing"), undefined as never);
    expect(res.status).toBe(200);
    const json = (await res.json()) as { alerts: Record<string, unknown>[]; firing: number };
    expect(json.firing).toBe(1);
    expect(json.alerts).toEqual([expect.objectContaining({ id, rule: "connection-error", state: "firing", since: expect.any(String) as string, subject })]);
    const bad = await GET(new NextRequest("http://localhost:3000/api/alerts?state=open&rule=nope"), undefined as never);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'state: "open" is not firing or resolved; rule: "nope" is not one of connection-error, connection-pending, host-pending, listing-unreachable, pipeline-broken, missed-triggers, latency-slo, poller-late, metrics-stale' });
    principal.current = null;
    expect((await GET(new NextRequest("http://localhost:3000/api/alerts"), undefined as never)).status).toBe(401);
  });
});

describe("rules and maintenance windows", () => {
  test("a viewer reads the rules but cannot change them (refused, audited)", async () => {
    principal.current = bob;
    const view = await getRulesView();
    expect(view.canEdit).toBe(false);
    expect(view.rules.find((r) => r.id === "connection-pending")).toMatchObject({ enabled: true, channels: null, params: [expect.objectContaining({ key: "hours", value: 24, default: 24 })] });
    expect(view.channels.map((c) => c.kind)).toEqual(["slack"]);
    await expect(updateRule("connection-pending", { enabled: false, params: {}, channels: null })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(addMaintenanceWindow({})).rejects.toMatchObject({ kind: "forbidden" });
    expect((await refusals("alert.rule.update")).map((r) => r.target)).toEqual(["connection-pending"]);
    expect((await refusals("alert.maintenance.add")).length).toBe(1);
  });

  test("an admin tunes a rule: stored, audited with what changed; bad values are 400", async () => {
    const slack = (await getRulesView()).channels[0]?.id ?? "";
    await updateRule("connection-pending", { enabled: false, params: { hours: 48 }, channels: [slack] });
    const rule = (await getRulesView()).rules.find((r) => r.id === "connection-pending");
    expect(rule).toMatchObject({ enabled: false, channels: [slack], updatedBy: "alice@example.com" });
    expect(rule?.params[0]?.value).toBe(48);
    const record = (await getStore().audit.list({ action: "alert.rule.update" }, { limit: 1, offset: 0 })).records[0];
    expect(record?.detail).toBe(`disabled; hours 24 → 48; channels all → ${slack}`);
    await expect(updateRule("connection-pending", { enabled: true, params: { hours: 0 }, channels: null })).rejects.toMatchObject({ kind: "bad_request", message: "hours: a whole number from 1 to 720 (h)" });
    await expect(updateRule("connection-pending", { enabled: true, params: { minutes: 5 }, channels: ["webhook-00000000"] })).rejects.toMatchObject({ kind: "bad_request", message: "minutes: not a parameter of connection-pending; channels: webhook-00000000 is not a configured channel" });
    await expect(updateRule("no-such-rule", { enabled: true, params: {}, channels: null })).rejects.toMatchObject({ kind: "not_found" });
  });

  test("maintenance windows: added with a scope, listed as active, ended early; bad input is 400", async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const w = await addMaintenanceWindow({ account: "111111111111", region: "us-east-1", startsAt: iso(now - 60_000), endsAt: iso(now + 3_600_000), reason: "GHES upgrade" });
    expect(w).toMatchObject({ account: "111111111111", region: "us-east-1", reason: "GHES upgrade", createdBy: "alice@example.com", active: true });
    expect((await getRulesView()).windows.map((x) => x.id)).toEqual([w.id]);
    await endMaintenanceWindow(String(w.id));
    expect((await getRulesView()).windows).toEqual([]);
    await expect(endMaintenanceWindow(String(w.id))).rejects.toMatchObject({ kind: "not_found" });
    // A datetime-local field's value is read as UTC.
    const local = new Date(now + 3_600_000).toISOString().slice(0, 16);
    expect((await addMaintenanceWindow({ startsAt: new Date(now).toISOString().slice(0, 16), endsAt: local, reason: "all" })).endsAt).toBe(`${local}:00.000Z`);
    const bad = async (input: Record<string, unknown>) => (await addMaintenanceWindow({ startsAt: iso(now), endsAt: iso(now + 3_600_000), reason: "r", ...input }).catch((e: AppError) => e)) as AppError;
    expect((await bad({ region: "us-east-1" })).message).toBe("region: choose the account too (a Region of every account is not a scope)");
    expect((await bad({ endsAt: iso(now - 1000) })).message).toBe("endsAt: must be after startsAt; endsAt: must be in the future");
    expect((await bad({ endsAt: iso(now + 31 * 86_400_000) })).message).toBe("endsAt: a window lasts at most 30 days");
    expect((await bad({ account: "123" })).message).toBe("account: 12 digits, or empty for every account");
    expect((await bad({ reason: "" })).message).toBe("reason: say why (1 to 500 characters)");
    const audit = (await getStore().audit.list({ action: "alert.maintenance.add" }, { limit: 10, offset: 0 })).records;
    expect(audit.map((r) => r.targetName)).toEqual(["every account", "111111111111/us-east-1"]);
  });
});
