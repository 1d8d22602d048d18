import "server-only";
import { z } from "zod";
import { channelView, configuredChannels } from "@/lib/alerts/channels";
import { sendTest } from "@/lib/alerts/deliver";
import { effectiveRules } from "@/lib/alerts/evaluate";
import { subjectConsoleUrl, subjectPath } from "@/lib/alerts/subject";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { toSearchParams } from "@/lib/query";
import { getStore } from "@/lib/store";
import type { MaintenanceWindow, StoredAlert, StoredDelivery, StoredTransition } from "@/lib/store/types";
import { ALERT_RULE_IDS, ALERT_STATES, NOTIFYING_TRANSITIONS, isAlertRuleId, type AlertRuleId, type AlertState, type AlertView, type ChannelView, type DeliveryView, type MaintenanceWindowView, type RuleView, type TransitionView } from "@/lib/types";
import { requireAdmin } from "./admin";
import { currentPrincipal, requireRole, type Principal } from "./session";

/**
 * Alerts for the pages and the API: the list (firing first, then history, filtered by state and
 * rule), one alert with its transitions and deliveries, the rules; and the admin actions —
 * acknowledge, silence, tune a rule, maintenance windows, a test notification — each audited,
 * refused attempts included. The caller's role is checked before anything it sent is read.
 */

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

export const ALERTS_PAGE_SIZE = 50;
/** The longest a silence or a maintenance window may last. */
export const MAX_HOLD_DAYS = 30;
const DAY = 86_400_000;

export interface AlertsQuery {
  state: AlertState | null;
  rule: AlertRuleId | null;
  page: number;
}

/** `state` (firing | resolved), `rule` (a rule id) and `page` from the URL; unknown values are named in `problems` and ignored. */
export function parseAlertsQuery(input: Params): { query: AlertsQuery; problems: string[] } {
  const p = toSearchParams(input);
  const problems: string[] = [];
  const state = p.get("state")?.trim() || null;
  const rule = p.get("rule")?.trim() || null;
  const pageText = p.get("page");
  if (state && !(ALERT_STATES as readonly string[]).includes(state)) problems.push(`state: "${state.slice(0, 50)}" is not firing or resolved`);
  if (rule && !isAlertRuleId(rule)) problems.push(`rule: "${rule.slice(0, 50)}" is not one of ${ALERT_RULE_IDS.join(", ")}`);
  const page = pageText && /^\d+$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  if (pageText && page === 1 && pageText !== "1") problems.push(`page: "${pageText.slice(0, 20)}" is not a page number`);
  return { query: { state: state && (ALERT_STATES as readonly string[]).includes(state) ? (state as AlertState) : null, rule: rule && isAlertRuleId(rule) ? rule : null, page }, problems };
}

const channelLabels = () => new Map(configuredChannels().map((c) => [c.id, c.label]));

function deliveryView(d: StoredDelivery, labels: Map<string, string>): DeliveryView {
  return { channel: d.channel, channelLabel: labels.get(d.channel) ?? `${d.channel} (no longer configured)`, state: d.state, attempts: d.attempts, lastStatus: d.lastStatus, lastError: d.lastError, nextAttemptAt: d.state === "pending" ? d.nextAttemptAt : null, doneAt: d.doneAt };
}

function alertView(a: StoredAlert, transitions: StoredTransition[], deliveries: StoredDelivery[], labels: Map<string, string>): AlertView {
  const mine = transitions.filter((t) => t.alertId === a.id);
  const latest = [...mine].reverse().find((t) => NOTIFYING_TRANSITIONS.includes(t.kind) && t.notified);
  const guidance = [...mine].reverse().find((t) => t.event.guidance)?.event.guidance ?? null;
  return {
    id: a.id,
    rule: a.ruleId,
    ruleTitle: mine[0]?.event.ruleTitle ?? a.ruleId,
    state: a.state,
    since: a.since,
    firedAt: a.firedAt,
    resolvedAt: a.resolvedAt,
    summary: a.summary,
    detail: a.detail,
    subject: a.subject,
    subjectHref: subjectPath(a.subject),
    consoleUrl: subjectConsoleUrl(a.subject, env().TETHER_CONSOLE_URL),
    guidance: a.state === "firing" ? guidance : null,
    acknowledged: a.acknowledgedAt ? { by: a.acknowledgedBy ?? "", at: a.acknowledgedAt, reason: a.ackReason ?? "" } : null,
    silenced: a.silencedUntil ? { until: a.silencedUntil, by: a.silencedBy ?? "", reason: a.silenceReason ?? "" } : null,
    deliveries: latest ? deliveries.filter((d) => d.transitionId === latest.id).map((d) => deliveryView(d, labels)) : [],
  };
}

async function views(alerts: StoredAlert[]): Promise<AlertView[]> {
  const store = getStore().alerts;
  const transitions = await store.transitions(alerts.map((a) => a.id));
  const deliveries = await store.deliveries(transitions.map((t) => t.id));
  const labels = channelLabels();
  return alerts.map((a) => alertView(a, transitions, deliveries, labels));
}

export interface AlertsView {
  /** When this view was read (pages show times relative to it). */
  generatedAt: string;
  query: AlertsQuery;
  problems: string[];
  alerts: AlertView[];
  total: number;
  page: number;
  pages: number;
  firing: number;
  rules: { id: AlertRuleId; title: string }[];
  channels: ChannelView[];
  /** The caller may acknowledge and silence (admins). */
  canAct: boolean;
}

/** The alerts page and `GET /api/alerts`: firing first, then resolved, filtered. */
export async function getAlertsView(params: Params): Promise<AlertsView> {
  const p = await requireRole("viewer");
  const { query, problems } = parseAlertsQuery(params);
  const store = getStore().alerts;
  const { alerts, total } = await store.list({ ...(query.state ? { state: query.state } : {}), ...(query.rule ? { ruleId: query.rule } : {}) }, { limit: ALERTS_PAGE_SIZE, offset: (query.page - 1) * ALERTS_PAGE_SIZE });
  return {
    generatedAt: new Date().toISOString(),
    query,
    problems,
    alerts: await views(alerts),
    total,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / ALERTS_PAGE_SIZE)),
    firing: await store.countFiring(),
    rules: (await effectiveRules()).map((r) => ({ id: r.def.id, title: r.def.title })),
    channels: configuredChannels().map(channelView),
    canAct: p.role === "admin",
  };
}

export interface AlertDetail {
  generatedAt: string;
  alert: AlertView;
  transitions: TransitionView[];
  canAct: boolean;
}

const alertId = (raw: string): number | null => (/^\d{1,15}$/.test(raw) ? Number(raw) : null);

/** One alert with every transition and its deliveries; null when there is no such alert. */
export async function getAlert(rawId: string): Promise<AlertDetail | null> {
  const p = await requireRole("viewer");
  const id = alertId(rawId);
  const a = id === null ? null : await getStore().alerts.get(id);
  if (!a) return null;
  const store = getStore().alerts;
  const transitions = await store.transitions([a.id]);
  const deliveries = await store.deliveries(transitions.map((t) => t.id));
  const labels = channelLabels();
  return {
    generatedAt: new Date().toISOString(),
    alert: alertView(a, transitions, deliveries, labels),
    transitions: transitions.map((t) => ({ id: t.id, kind: t.kind, at: t.at, actor: t.actor, note: t.note, notified: t.notified, deliveries: deliveries.filter((d) => d.transitionId === t.id).map((d) => deliveryView(d, labels)) })),
    canAct: p.role === "admin",
  };
}

/** How many alerts fire, for the navigation's badge; null when the caller may not see alerts. */
export async function firingAlertCount(): Promise<number | null> {
  const p = await currentPrincipal();
  if (!p?.allowed) return null;
  return getStore().alerts.countFiring();
}

// ---------------------------------------------------------------------------------------------
// Admin actions.

function problemsOf(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/** Reads and validates a body only after the caller was allowed: a refused caller's body is never looked at. */
async function validBody<T>(body: () => Promise<unknown>, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await body());
  if (!parsed.success) throw new AppError("bad_request", problemsOf(parsed.error));
  return parsed.data;
}

const reason = z.string({ message: "reason: say why (1 to 500 characters)" }).trim().min(1, "say why (1 to 500 characters)").max(500, "at most 500 characters");

export const acknowledgeSchema = z.object({ reason }).strict();

export const silenceSchema = z
  .object({
    until: z.string().optional(),
    hours: z.number({ message: "a number of hours" }).positive("more than 0").max(MAX_HOLD_DAYS * 24, `at most ${MAX_HOLD_DAYS * 24} (${MAX_HOLD_DAYS} days)`).optional(),
    reason,
  })
  .strict()
  .refine((b) => (b.until === undefined) !== (b.hours === undefined), { message: "give either until (an ISO 8601 time) or hours, not both" });

/** The audited outcome of an admin's action on an alert that does not exist or no longer fires. */
async function refuseTarget(p: Principal, action: string, id: string, a: StoredAlert | null): Promise<never> {
  const detail = a ? `alert #${a.id} is ${a.state}` : "no such alert";
  await getStore().audit.append({ actor: p.id, actorRole: p.role, via: p.via, action, targetKind: "alert", target: id, targetName: a ? `${a.ruleId}: ${a.subject.name}` : null, outcome: "error", detail });
  if (!a) throw new AppError("not_found", `no alert ${id}`);
  throw new AppError("conflict", `alert #${a.id} is ${a.state}: only a firing alert can be acknowledged or silenced`);
}

/** Admins: acknowledge a firing alert (it is no longer re-notified), with a reason. Audited. */
export async function acknowledgeAlert(rawId: string, body: () => Promise<unknown>): Promise<{ alert: AlertView; auditId: number }> {
  const p = await requireAdmin("alert.acknowledge", { kind: "alert", id: rawId });
  const input = await validBody(body, acknowledgeSchema);
  const id = alertId(rawId);
  const store = getStore();
  const found = id === null ? null : await store.alerts.get(id);
  if (!found || found.state !== "firing") return refuseTarget(p, "alert.acknowledge", rawId, found);
  const at = new Date().toISOString();
  const a = await store.alerts.acknowledge(found.id, p.id, input.reason, at);
  if (!a) return refuseTarget(p, "alert.acknowledge", rawId, await store.alerts.get(found.id));
  const record = await store.audit.append({ actor: p.id, actorRole: p.role, via: p.via, action: "alert.acknowledge", targetKind: "alert", target: String(a.id), targetName: `${a.ruleId}: ${a.subject.name}`, outcome: "allowed", detail: input.reason }, at);
  const [view] = await views([a]);
  return { alert: view as AlertView, auditId: record.id };
}

/** Admins: hold a firing alert's notifications until a time (or for some hours), with a reason. Audited. */
export async function silenceAlert(rawId: string, body: () => Promise<unknown>): Promise<{ alert: AlertView; auditId: number }> {
  const p = await requireAdmin("alert.silence", { kind: "alert", id: rawId });
  const input = await validBody(body, silenceSchema);
  const now = Date.now();
  const untilMs = input.hours !== undefined ? now + input.hours * 3_600_000 : Date.parse(input.until ?? "");
  if (!Number.isFinite(untilMs) || untilMs <= now || untilMs > now + MAX_HOLD_DAYS * DAY) {
    throw new AppError("bad_request", `until: must be a time in the future, at most ${MAX_HOLD_DAYS} days ahead (ISO 8601, e.g. ${new Date(now + DAY).toISOString().slice(0, 19)}Z)`);
  }
  const until = new Date(untilMs).toISOString();
  const id = alertId(rawId);
  const store = getStore();
  const found = id === null ? null : await store.alerts.get(id);
  if (!found || found.state !== "firing") return refuseTarget(p, "alert.silence", rawId, found);
  const at = new Date(now).toISOString();
  const a = await store.alerts.silence(found.id, until, p.id, input.reason, at);
  if (!a) return refuseTarget(p, "alert.silence", rawId, await store.alerts.get(found.id));
  const record = await store.audit.append({ actor: p.id, actorRole: p.role, via: p.via, action: "alert.silence", targetKind: "alert", target: String(a.id), targetName: `${a.ruleId}: ${a.subject.name}`, outcome: "allowed", detail: `until ${until}: ${input.reason}` }, at);
  const [view] = await views([a]);
  return { alert: view as AlertView, auditId: record.id };
}

// ---------------------------------------------------------------------------------------------
// Rules, maintenance windows, channels.

export interface RulesView {
  rules: RuleView[];
  channels: ChannelView[];
  windows: MaintenanceWindowView[];
  canEdit: boolean;
  /** Tether's public URL is set: notifications can link to it. */
  linksToTether: boolean;
}

const windowView = (w: MaintenanceWindow, now: number): MaintenanceWindowView => ({ ...w, active: Date.parse(w.startsAt) <= now && Date.parse(w.endsAt) > now });

export async function getRulesView(): Promise<RulesView> {
  const p = await requireRole("viewer");
  const store = getStore().alerts;
  const stored = new Map((await store.ruleSettings()).map((s) => [s.ruleId, s]));
  const firing = await store.firingByRule();
  const now = Date.now();
  return {
    rules: (await effectiveRules()).map((r) => ({
      id: r.def.id,
      title: r.def.title,
      description: r.def.description,
      cadence: r.def.cadence,
      enabled: r.enabled,
      params: r.def.params.map((d) => ({ ...d, value: r.params[d.key] ?? d.default })),
      channels: r.channels,
      updatedAt: stored.get(r.def.id)?.updatedAt ?? null,
      updatedBy: stored.get(r.def.id)?.updatedBy ?? null,
      firing: firing.get(r.def.id) ?? 0,
    })),
    channels: configuredChannels().map(channelView),
    windows: (await store.windows(new Date(now).toISOString())).map((w) => windowView(w, now)),
    canEdit: p.role === "admin",
    linksToTether: Boolean(env().AUTH_URL),
  };
}

export interface RuleInput {
  enabled: boolean;
  params: Record<string, number>;
  /** Null: every configured channel. */
  channels: string[] | null;
}

/** Admins: enable or disable a rule, its thresholds, its channels. Audited with what changed. */
export async function updateRule(rawRule: string, input: RuleInput): Promise<void> {
  const p = await requireAdmin("alert.rule.update", { kind: "alert-rule", id: rawRule });
  if (!isAlertRuleId(rawRule)) throw new AppError("not_found", `no rule ${rawRule.slice(0, 50)}`);
  const rule = (await effectiveRules()).find((r) => r.def.id === rawRule);
  if (!rule) throw new AppError("not_found", `no rule ${rawRule}`);
  const problems: string[] = [];
  const params: Record<string, number> = {};
  for (const d of rule.def.params) {
    const v = input.params[d.key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < d.min || v > d.max) problems.push(`${d.key}: a whole number from ${d.min} to ${d.max}${d.unit ? ` (${d.unit})` : ""}`);
    else params[d.key] = v;
  }
  for (const k of Object.keys(input.params)) if (!rule.def.params.some((d) => d.key === k)) problems.push(`${k}: not a parameter of ${rule.def.id}`);
  const known = new Set(configuredChannels().map((c) => c.id));
  for (const c of input.channels ?? []) if (!known.has(c)) problems.push(`channels: ${c.slice(0, 40)} is not a configured channel`);
  if (problems.length) throw new AppError("bad_request", problems.join("; "));
  const changes = [
    rule.enabled !== input.enabled ? `${input.enabled ? "enabled" : "disabled"}` : null,
    ...rule.def.params.filter((d) => params[d.key] !== undefined && params[d.key] !== rule.params[d.key]).map((d) => `${d.key} ${rule.params[d.key]} → ${params[d.key]}`),
    JSON.stringify(rule.channels) !== JSON.stringify(input.channels) ? `channels ${rule.channels?.join(", ") || (rule.channels ? "none" : "all")} → ${input.channels?.join(", ") || (input.channels ? "none" : "all")}` : null,
  ].filter(Boolean);
  const at = new Date().toISOString();
  await getStore().alerts.saveRuleSettings({ ruleId: rule.def.id, enabled: input.enabled, params: { ...rule.params, ...params }, channels: input.channels, updatedAt: at, updatedBy: p.id });
  await getStore().audit.append({ actor: p.id, actorRole: p.role, via: p.via, action: "alert.rule.update", targetKind: "alert-rule", target: rule.def.id, targetName: rule.def.title, outcome: "allowed", detail: changes.length ? changes.join("; ") : "no change" }, at);
}

const windowSchema = z
  .object({
    account: z.union([z.literal(""), z.string().regex(/^\d{12}$/, "12 digits, or empty for every account")]).default(""),
    region: z.union([z.literal(""), z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "a Region name such as us-east-1, or empty for every Region")]).default(""),
    startsAt: z.string({ message: "a start time" }),
    endsAt: z.string({ message: "an end time" }),
    reason,
  })
  .strict();

/** `2026-11-25T12:00` (a datetime-local field, read as UTC) or a full ISO 8601 time → epoch ms. */
function utcMs(text: string): number {
  const t = text.trim();
  return Date.parse(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(t) ? `${t}Z` : t);
}

/** Admins: hold the notifications of every alert whose subject is in scope, for a time. Audited. */
export async function addMaintenanceWindow(input: unknown): Promise<MaintenanceWindowView> {
  const p = await requireAdmin("alert.maintenance.add", { kind: "maintenance", id: "new" });
  const parsed = windowSchema.safeParse(input);
  if (!parsed.success) throw new AppError("bad_request", problemsOf(parsed.error));
  const w = parsed.data;
  const now = Date.now();
  const start = utcMs(w.startsAt);
  const end = utcMs(w.endsAt);
  const problems: string[] = [];
  if (w.region && !w.account) problems.push("region: choose the account too (a Region of every account is not a scope)");
  if (!Number.isFinite(start)) problems.push("startsAt: not a time (YYYY-MM-DDTHH:MM, UTC)");
  if (!Number.isFinite(end)) problems.push("endsAt: not a time (YYYY-MM-DDTHH:MM, UTC)");
  if (Number.isFinite(start) && Number.isFinite(end)) {
    if (end <= start) problems.push("endsAt: must be after startsAt");
    if (end <= now) problems.push("endsAt: must be in the future");
    if (end - Math.max(start, now) > MAX_HOLD_DAYS * DAY) problems.push(`endsAt: a window lasts at most ${MAX_HOLD_DAYS} days`);
  }
  if (problems.length) throw new AppError("bad_request", problems.join("; "));
  const at = new Date(now).toISOString();
  const saved = await getStore().alerts.addWindow({ account: w.account || null, region: w.region || null, startsAt: new Date(start).toISOString(), endsAt: new Date(end).toISOString(), reason: w.reason, createdBy: p.id, createdAt: at });
  const scope = saved.account ? `${saved.account}${saved.region ? `/${saved.region}` : ""}` : "every account";
  await getStore().audit.append({ actor: p.id, actorRole: p.role, via: p.via, action: "alert.maintenance.add", targetKind: "maintenance", target: String(saved.id), targetName: scope, outcome: "allowed", detail: `${saved.startsAt} → ${saved.endsAt}: ${saved.reason}` }, at);
  return windowView(saved, now);
}

/** Admins: end a maintenance window now. Audited. */
export async function endMaintenanceWindow(rawId: string): Promise<void> {
  const p = await requireAdmin("alert.maintenance.end", { kind: "maintenance", id: rawId });
  const id = /^\d{1,15}$/.test(rawId) ? Number(rawId) : null;
  const at = new Date().toISOString();
  const ended = id !== null && (await getStore().alerts.endWindow(id, at));
  await getStore().audit.append({ actor: p.id, actorRole: p.role, via: p.via, action: "alert.maintenance.end", targetKind: "maintenance", target: rawId.slice(0, 40), outcome: ended ? "allowed" : "error", detail: ended ? null : "no such window, or it had ended" }, at);
  if (!ended) throw new AppError("not_found", "no such maintenance window, or it has already ended");
}

/** Admins: send a test message to one channel now and say what it answered. Audited with the answer. */
export async function sendTestNotification(channelId: string): Promise<{ ok: boolean; status: number | null; error: string | null; auditId: number }> {
  const p = await requireAdmin("alert.notify.test", { kind: "channel", id: channelId });
  const channel = configuredChannels().find((c) => c.id === channelId);
  if (!channel) throw new AppError("not_found", `no channel ${channelId.slice(0, 40)} is configured`);
  const result = await sendTest(channel, p.id);
  const record = await getStore().audit.append({ actor: p.id, actorRole: p.role, via: p.via, action: "alert.notify.test", targetKind: "channel", target: channel.id, targetName: channel.label, outcome: result.ok ? "completed" : "error", detail: result.ok ? `HTTP ${result.status ?? 200}` : (result.error ?? "failed") });
  return { ok: result.ok, status: result.status, error: result.error, auditId: record.id };
}
