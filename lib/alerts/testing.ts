import type { AlertChanges, AlertTracking, MaintenanceWindow, StoredAlert } from "@/lib/store/types";
import type { AlertRuleId } from "@/lib/types";
import { evaluate, type EffectiveRule } from "./machine";
import { effectiveParams, RULES, type AlertSnapshot, type Params } from "./rules";

/**
 * Test support for the rules and the state machine (imported by *.test.ts only): an empty
 * snapshot, and a world that applies each evaluation's changes the way AlertRepo.apply does, so a
 * test can run evaluation after evaluation with its own clock.
 */

export const BASE = Date.UTC(2026, 10, 25, 12, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const at = (ms: number) => new Date(ms).toISOString();

export function snapshot(over: Partial<AlertSnapshot> = {}): AlertSnapshot {
  return {
    now: BASE,
    scopes: [{ account: "111111111111", region: "us-east-1" }],
    connections: [],
    hosts: [],
    listings: [],
    pipelines: [],
    missed: [],
    latencies: [],
    sloMs: 60_000,
    pollIntervalMs: 60_000,
    startedAt: BASE - HOUR,
    runs: [],
    metricsWaiting: { count: 0, reason: null },
    ...over,
  };
}

export function rule(id: AlertRuleId, opts: { enabled?: boolean; params?: Params; channels?: string[] | null } = {}): EffectiveRule {
  const def = RULES.find((r) => r.id === id);
  if (!def) throw new Error(id);
  return { def, enabled: opts.enabled ?? true, params: effectiveParams(def, opts.params), channels: opts.channels === undefined ? null : opts.channels };
}

export interface Sent {
  alertId: number;
  kind: "fired" | "renotified" | "resolved";
  at: string;
  notified: boolean;
  note: string | null;
  channels: string[];
}

/** The store's side of the machine, in memory: tracking rows, alerts, and the transitions written. */
export class World {
  tracking = new Map<string, AlertTracking>();
  alerts: StoredAlert[] = [];
  sent: Sent[] = [];
  windows: MaintenanceWindow[] = [];
  channels = ["slack-aaaa0000", "webhook-bbbb1111"];

  constructor(public rules: EffectiveRule[]) {}

  firing(): StoredAlert[] {
    return this.alerts.filter((a) => a.state === "firing");
  }

  /** Evaluates at `now` with `snap` and applies the changes; returns them. */
  step(now: number, snap: Partial<AlertSnapshot>): AlertChanges {
    const changes = evaluate({ now, rules: this.rules, snapshot: snapshot({ ...snap, now }), tracking: [...this.tracking.values()], firing: this.firing(), windows: this.windows, channels: this.channels });
    this.apply(changes);
    return changes;
  }

  private apply(c: AlertChanges): void {
    for (const t of c.track) this.tracking.set(`${t.ruleId} ${t.subjectKey}`, t);
    for (const u of c.untrack) this.tracking.delete(`${u.ruleId} ${u.subjectKey}`);
    for (const f of c.fire) {
      if (this.firing().some((a) => a.ruleId === f.ruleId && a.subjectKey === f.subjectKey)) continue;
      const alert: StoredAlert = { id: this.alerts.length + 1, ruleId: f.ruleId, subjectKey: f.subjectKey, subject: f.subject, state: "firing", since: f.since, firedAt: c.at, resolvedAt: null, summary: f.summary, detail: f.detail, lastNotifiedAt: f.notified ? c.at : null, acknowledgedAt: null, acknowledgedBy: null, ackReason: null, silencedUntil: null, silencedBy: null, silenceReason: null };
      this.alerts.push(alert);
      this.sent.push({ alertId: alert.id, kind: "fired", at: c.at, notified: f.notified, note: f.note, channels: f.channels });
    }
    for (const r of c.renotify) {
      const a = this.alerts.find((x) => x.id === r.alertId && x.state === "firing");
      if (!a) continue;
      if (r.notified) a.lastNotifiedAt = c.at;
      this.sent.push({ alertId: a.id, kind: "renotified", at: c.at, notified: r.notified, note: r.note, channels: r.channels });
    }
    for (const r of c.resolve) {
      const a = this.alerts.find((x) => x.id === r.alertId && x.state === "firing");
      if (!a) continue;
      a.state = "resolved";
      a.resolvedAt = c.at;
      this.sent.push({ alertId: a.id, kind: "resolved", at: c.at, notified: r.notified, note: r.note, channels: r.channels });
    }
    for (const r of c.refresh) {
      const a = this.alerts.find((x) => x.id === r.alertId);
      if (a) Object.assign(a, { summary: r.summary, detail: r.detail });
    }
  }
}
