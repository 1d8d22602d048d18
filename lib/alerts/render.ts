import { createHmac } from "node:crypto";
import { providerLabel, utcTime } from "@/lib/labels";
import type { AlertEvent, TransitionKind } from "@/lib/types";
import { subjectConsoleUrl, subjectPath } from "./subject";

/**
 * What a channel receives: the generic webhook's versioned JSON body and its signature, and
 * Slack's Block Kit message. Pure: the caller passes the links' bases (Tether's public origin from
 * AUTH_URL, the console template) and the time. docs/alerts.md documents the webhook schema.
 */

/** The version of the generic webhook body; a change that breaks receivers gets a new one. */
export const WEBHOOK_SCHEMA_VERSION = "1";
export const SIGNATURE_HEADER = "X-Tether-Signature";
/** How far a receiver should accept a signature's timestamp from its own clock (replays). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface Links {
  /** Tether's public origin (AUTH_URL), or null: then no link to Tether can be given. */
  appOrigin: string | null;
  consoleTemplate: string;
}

/** One notification: a transition of an alert, with the content fixed when it happened. */
export interface Notification {
  alertId: number;
  transitionId: number;
  kind: Extract<TransitionKind, "fired" | "renotified" | "resolved">;
  at: string;
  event: AlertEvent;
}

const absolute = (links: Links, path: string | null) => (links.appOrigin && path ? `${links.appOrigin}${path}` : null);

export const alertUrl = (links: Links, alertId: number) => absolute(links, `/alerts/${alertId}`);

/** The generic webhook's JSON body (schema version 1). The same bytes on every retry and every channel. */
export function webhookBody(n: Notification, links: Links): string {
  const e = n.event;
  return JSON.stringify({
    version: WEBHOOK_SCHEMA_VERSION,
    id: `tether-transition-${n.transitionId}`,
    type: `alert.${n.kind}`,
    occurredAt: n.at,
    alert: {
      id: n.alertId,
      url: alertUrl(links, n.alertId),
      rule: e.rule,
      ruleTitle: e.ruleTitle,
      state: e.state,
      since: e.since,
      firedAt: e.firedAt,
      resolvedAt: e.resolvedAt,
      summary: e.summary,
      detail: e.detail,
      subject: { ...e.subject, url: absolute(links, subjectPath(e.subject)), consoleUrl: subjectConsoleUrl(e.subject, links.consoleTemplate) },
      guidance: e.guidance,
    },
  });
}

/** A test notification's body: the same envelope, type "test", no alert. */
export function webhookTestBody(id: string, at: string, sentBy: string): string {
  return JSON.stringify({ version: WEBHOOK_SCHEMA_VERSION, id, type: "test", occurredAt: at, sentBy, alert: null });
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (Stripe's scheme: the timestamp is signed, so a replay is detectable). */
export function signature(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${v1}`;
}

// ---------------------------------------------------------------------------------------------
// Slack (Block Kit, incoming webhooks).

/** Slack mrkdwn: only &, < and > are special (https://api.slack.com/reference/surfaces/formatting#escaping). */
export const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
/** `<!date^…>` shows the time in each reader's time zone, with the UTC text as fallback. */
const slackDate = (iso: string) => `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time}|${utcTime(iso)}>`;
const link = (url: string, text: string) => `<${url}|${slackEscape(text)}>`;

const HEADLINE: Record<Notification["kind"], string> = { fired: "🔴 Firing", renotified: "🔁 Still firing", resolved: "✅ Resolved" };
const FALLBACK: Record<Notification["kind"], string> = { fired: "FIRING", renotified: "STILL FIRING", resolved: "RESOLVED" };

type Block = Record<string, unknown>;

/** The Slack message of one notification: what, status, since when, who must act, and links to Tether and the AWS console. */
export function slackBody(n: Notification, links: Links): string {
  const e = n.event;
  const s = e.subject;
  const alertLink = alertUrl(links, n.alertId);
  const subjectLink = absolute(links, subjectPath(s));
  const consoleLink = subjectConsoleUrl(s, links.consoleTemplate);
  const where = [s.account, s.region, s.provider ? providerLabel(s.provider) : null].filter(Boolean).join(" · ");
  const blocks: Block[] = [
    { type: "header", text: { type: "plain_text", text: cut(`${HEADLINE[n.kind]}: ${e.ruleTitle}`, 150), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: cut(`*${subjectLink ? link(subjectLink, s.name) : slackEscape(s.name)}*${where ? ` (${slackEscape(where)})` : ""}\n${slackEscape(e.summary)}\n${slackEscape(e.detail)}`, 3000) } },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Status*\n${n.kind === "resolved" ? "resolved" : "firing"}` },
        { type: "mrkdwn", text: `*Since*\n${slackDate(e.since)}` },
        { type: "mrkdwn", text: n.kind === "resolved" && e.resolvedAt ? `*Resolved*\n${slackDate(e.resolvedAt)}` : `*Fired*\n${slackDate(e.firedAt)}` },
        { type: "mrkdwn", text: cut(`*${slackEscape(s.kind)}*\n${slackEscape(s.kind === "connection" || s.kind === "host" ? (s.arn ?? s.id) : s.id)}`, 2000) },
      ],
    },
  ];
  if (e.guidance && n.kind !== "resolved") {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: cut(`*Who must act:* ${slackEscape(e.guidance.who)}\n${slackEscape(e.guidance.howTo)}`, 3000) } });
  }
  const buttons = [
    alertLink ? { type: "button", text: { type: "plain_text", text: "Open in Tether" }, url: alertLink, ...(n.kind === "resolved" ? {} : { style: "primary" }) } : null,
    consoleLink ? { type: "button", text: { type: "plain_text", text: "AWS console" }, url: consoleLink } : null,
  ].filter((b) => b !== null && b.url.length <= 3000);
  if (buttons.length) blocks.push({ type: "actions", elements: buttons });
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: slackEscape(`Tether alert #${n.alertId} · rule ${e.rule}${alertLink ? "" : " · set AUTH_URL for links to Tether"}`) }] });
  return JSON.stringify({ text: cut(`[${FALLBACK[n.kind]}] ${e.summary}`, 3000), blocks });
}

/** A test message for one Slack channel. */
export function slackTestBody(sentBy: string, at: string): string {
  const text = `Test notification from Tether, sent by ${sentBy} at ${utcTime(at)}: this channel receives Tether's alerts.`;
  return JSON.stringify({ text, blocks: [{ type: "section", text: { type: "mrkdwn", text: slackEscape(text) } }] });
}
