import { utcTime } from "@/lib/labels";
import type { AlertChanges, AlertTracking, MaintenanceWindow, StoredAlert } from "@/lib/store/types";
import type { AlertEvent, AlertRuleId, AlertSubject } from "@/lib/types";
import type { AlertSnapshot, Finding, Params, RuleDef } from "./rules";
import { subjectKey } from "./subject";

/**
 * The alert state machine, a pure function of one evaluation's inputs (the clock is `now`):
 *
 *   condition of (rule, subject) = the rule has a finding for it, held for the rule's `holdMs`
 *   (since the finding's `since`, else since the evaluation first saw it).
 *   no alert  ─ condition true on CONFIRMATIONS consecutive evaluations ─▶ firing   ("fired")
 *   firing    ─ condition false on CONFIRMATIONS consecutive evaluations ─▶ resolved ("resolved")
 *   firing, condition true, not acknowledged, not silenced, not in a maintenance window, and not
 *   notified for RENOTIFY_MS, or never (it fired in a maintenance window), or not since its silence
 *   ended ─▶ firing ("renotified")
 *   a rule disabled ─▶ its firing alerts resolve at once; nothing is tracked for it.
 *
 * Flapping is damped by the consecutive counts (one evaluation's blip neither fires nor resolves).
 * A transition is notified unless the alert is silenced or its subject is in an active maintenance
 * window (then it is recorded with the reason); a resolution is notified only if the alert was
 * notified before. Notifications go to the rule's channels that are configured (default: all).
 */

/** Consecutive evaluations that must agree before an alert fires or resolves. */
export const CONFIRMATIONS = 2;
/** A firing alert nobody acknowledged is notified again this often. */
export const RENOTIFY_MS = 4 * 3_600_000;

export interface EffectiveRule {
  def: RuleDef;
  enabled: boolean;
  params: Params;
  /** Channel ids; null = every configured channel. */
  channels: string[] | null;
}

export interface MachineInput {
  now: number;
  /** The rules evaluated this time (one cadence's), enabled or not. */
  rules: EffectiveRule[];
  snapshot: AlertSnapshot;
  /** Tracking rows of these rules. */
  tracking: AlertTracking[];
  /** Firing alerts of these rules. */
  firing: StoredAlert[];
  /** Maintenance windows that have not ended. */
  windows: MaintenanceWindow[];
  /** Configured channel ids. */
  channels: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Whether a window is active at `now` and covers the subject (null account: everything; null region: the whole account). */
export function windowCovers(w: MaintenanceWindow, subject: AlertSubject, now: number): boolean {
  if (Date.parse(w.startsAt) > now || Date.parse(w.endsAt) <= now) return false;
  if (w.account === null) return true;
  return subject.account === w.account && (w.region === null || subject.region === w.region);
}

/** Why notifications are held for this alert now (silence, maintenance window), or null. */
export function suppression(alert: Pick<StoredAlert, "silencedUntil" | "silencedBy" | "silenceReason"> | null, subject: AlertSubject, windows: readonly MaintenanceWindow[], now: number): string | null {
  if (alert?.silencedUntil && Date.parse(alert.silencedUntil) > now) return `silenced until ${utcTime(alert.silencedUntil)} by ${alert.silencedBy ?? "an admin"}: ${alert.silenceReason ?? ""}`;
  const w = windows.find((x) => windowCovers(x, subject, now));
  return w ? `maintenance window #${w.id} until ${utcTime(w.endsAt)}: ${w.reason}` : null;
}

function routed(rule: EffectiveRule, configured: readonly string[]): string[] {
  return rule.channels === null ? [...configured] : rule.channels.filter((c) => configured.includes(c));
}

function event(rule: RuleDef, a: { since: string; firedAt: string; resolvedAt: string | null; summary: string; detail: string; subject: AlertSubject }, finding: Finding | undefined): AlertEvent {
  return {
    rule: rule.id,
    ruleTitle: rule.title,
    state: a.resolvedAt ? "resolved" : "firing",
    since: a.since,
    firedAt: a.firedAt,
    resolvedAt: a.resolvedAt,
    summary: a.summary,
    detail: a.detail,
    subject: a.subject,
    guidance: a.resolvedAt ? null : (finding?.guidance ?? null),
  };
}

/** One evaluation: the findings of every enabled rule, run through the state machine. */
export function evaluate(input: MachineInput): AlertChanges {
  const { now, snapshot, windows } = input;
  const at = iso(now);
  const changes: AlertChanges = { at, track: [], untrack: [], fire: [], renotify: [], resolve: [], refresh: [] };

  for (const rule of input.rules) {
    const id: AlertRuleId = rule.def.id;
    const tracked = new Map(input.tracking.filter((t) => t.ruleId === id).map((t) => [t.subjectKey, t]));
    const firing = new Map(input.firing.filter((a) => a.ruleId === id).map((a) => [a.subjectKey, a]));
    const channels = routed(rule, input.channels);
    const noChannel = channels.length === 0 ? "no channel is configured for this rule" : null;

    const resolve = (alert: StoredAlert, note: string | null) => {
      const held = suppression(alert, alert.subject, windows, now);
      const notified = alert.lastNotifiedAt !== null && held === null;
      changes.resolve.push({
        alertId: alert.id,
        event: event(rule.def, { ...alert, resolvedAt: at }, undefined),
        notified,
        note: note ?? (alert.lastNotifiedAt === null ? "never notified (it fired while notifications were held)" : held) ?? noChannel,
        channels: notified ? channels : [],
      });
    };

    if (!rule.enabled) {
      for (const alert of firing.values()) resolve(alert, "the rule was disabled");
      for (const key of tracked.keys()) changes.untrack.push({ ruleId: id, subjectKey: key });
      continue;
    }

    const findings = new Map<string, Finding>();
    for (const f of rule.def.find(snapshot, rule.params)) if (!findings.has(subjectKey(f.subject))) findings.set(subjectKey(f.subject), f);
    const holdMs = rule.def.holdMs(rule.params);

    for (const key of new Set([...findings.keys(), ...tracked.keys(), ...firing.keys()])) {
      const finding = findings.get(key);
      const track = tracked.get(key);
      const alert = firing.get(key);
      const observedSince = finding ? (track?.observedSince ?? at) : null;
      const since = finding ? (finding.since ?? observedSince ?? at) : null;
      const condition = since !== null && now - Date.parse(since) >= holdMs;
      const trueCount = condition ? (track?.trueCount ?? 0) + 1 : 0;
      const falseCount = condition ? 0 : (track?.falseCount ?? 0) + 1;
      let stillFiring = alert !== undefined;

      if (!alert && finding && condition && since && trueCount >= CONFIRMATIONS) {
        const held = suppression(null, finding.subject, windows, now);
        const notified = held === null;
        changes.fire.push({
          ruleId: id,
          subjectKey: key,
          subject: finding.subject,
          since,
          summary: finding.summary,
          detail: finding.detail,
          event: event(rule.def, { since, firedAt: at, resolvedAt: null, summary: finding.summary, detail: finding.detail, subject: finding.subject }, finding),
          notified,
          note: held ?? noChannel,
          channels: notified ? channels : [],
        });
        stillFiring = true;
      } else if (alert && condition && finding) {
        if (finding.summary !== alert.summary || finding.detail !== alert.detail) changes.refresh.push({ alertId: alert.id, summary: finding.summary, detail: finding.detail });
        const held = suppression(alert, alert.subject, windows, now);
        // Due: never notified (it fired while held), RENOTIFY_MS since the last notification, or a
        // silence that ended since the last notification (who silenced it wants to hear again then).
        const last = alert.lastNotifiedAt === null ? null : Date.parse(alert.lastNotifiedAt);
        const silenceEnded = alert.silencedUntil !== null && Date.parse(alert.silencedUntil) <= now && (last === null || Date.parse(alert.silencedUntil) > last);
        const due = last === null || now - last >= RENOTIFY_MS || silenceEnded;
        if (due && held === null && alert.acknowledgedAt === null) {
          changes.renotify.push({
            alertId: alert.id,
            event: event(rule.def, { ...alert, summary: finding.summary, detail: finding.detail }, finding),
            notified: true,
            note: last === null ? "notifications were held when it fired" : silenceEnded ? "the silence ended; still firing" : `still firing ${Math.round((now - last) / 3_600_000)} h after the last notification`,
            channels,
          });
        }
      } else if (alert && !condition && falseCount >= CONFIRMATIONS) {
        resolve(alert, null);
        stillFiring = false;
      }

      if (finding || stillFiring) changes.track.push({ ruleId: id, subjectKey: key, observedSince, trueCount, falseCount, evaluatedAt: at });
      else if (track) changes.untrack.push({ ruleId: id, subjectKey: key });
    }
  }
  return changes;
}
