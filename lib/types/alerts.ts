/** Alerts: the built-in rules, what an alert is about, its states and transitions, its deliveries. */

/** The built-in rules (docs/alerts.md), in the order pages list them. */
export const ALERT_RULE_IDS = [
  "connection-error",
  "connection-pending",
  "host-pending",
  "listing-unreachable",
  "pipeline-broken",
  "missed-triggers",
  "latency-slo",
  "poller-late",
  "metrics-stale",
] as const;
export type AlertRuleId = (typeof ALERT_RULE_IDS)[number];

export const isAlertRuleId = (v: unknown): v is AlertRuleId => typeof v === "string" && (ALERT_RULE_IDS as readonly string[]).includes(v);

export const ALERT_STATES = ["firing", "resolved"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/**
 * What an alert is about: a connection (`id` = its UUID), a host (`id` = the last segment of its
 * ARN), an account's connection listing (`id` = the account), a scope's host listing
 * (`id` = `account/region`), a pipeline (`id` = `account/region/name`), the whole fleet's or one
 * provider's latency (`id` = `fleet` or the provider), or Tether itself (`id` = the job).
 */
export const ALERT_SUBJECT_KINDS = ["connection", "host", "account", "scope", "pipeline", "fleet", "provider", "tether"] as const;
export type AlertSubjectKind = (typeof ALERT_SUBJECT_KINDS)[number];

export interface AlertSubject {
  kind: AlertSubjectKind;
  id: string;
  name: string;
  /** Null for fleet-wide subjects (the fleet, a provider, Tether). */
  account: string | null;
  /** A connection's home Region, a host's or pipeline's Region; null for account-wide and fleet-wide subjects. */
  region: string | null;
  arn: string | null;
  provider: string | null;
}

/** Who must act, and how (for PENDING connections: the pending queue's guidance). */
export interface AlertGuidance {
  who: string;
  howTo: string;
}

export const TRANSITION_KINDS = ["fired", "renotified", "resolved", "acknowledged", "silenced"] as const;
export type TransitionKind = (typeof TRANSITION_KINDS)[number];
/** The transitions that notify the channels (acknowledging and silencing are only recorded). */
export const NOTIFYING_TRANSITIONS: readonly TransitionKind[] = ["fired", "renotified", "resolved"];

/**
 * What a notification says, fixed when its transition happened: every retry of a delivery sends
 * the same content. The alert's and the transition's ids are added when it is sent.
 */
export interface AlertEvent {
  rule: AlertRuleId;
  ruleTitle: string;
  state: AlertState;
  /** When the condition began (as far as Tether knows). */
  since: string;
  firedAt: string;
  resolvedAt: string | null;
  summary: string;
  detail: string;
  subject: AlertSubject;
  guidance: AlertGuidance | null;
}

export const DELIVERY_STATES = ["pending", "sent", "failed"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export type ChannelKind = "slack" | "webhook" | "eventbridge";

/** A configured notification channel, as pages show it (never its URL: Slack's path is a secret). */
export interface ChannelView {
  /** `slack-<8 hex>`, `webhook-<8 hex>` or `eventbridge-<8 hex>`: a digest of the URL (the bus ARN), stable across restarts and reorderings. */
  id: string;
  kind: ChannelKind;
  /** e.g. "Slack (hooks.slack.com)". */
  label: string;
}

export interface DeliveryView {
  channel: string;
  channelLabel: string;
  state: DeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  /** While pending: when the next attempt is due. */
  nextAttemptAt: string | null;
  doneAt: string | null;
}

export interface TransitionView {
  id: number;
  kind: TransitionKind;
  at: string;
  actor: string | null;
  note: string | null;
  notified: boolean;
  deliveries: DeliveryView[];
}

export interface AlertView {
  id: number;
  rule: AlertRuleId;
  ruleTitle: string;
  state: AlertState;
  since: string;
  firedAt: string;
  resolvedAt: string | null;
  summary: string;
  detail: string;
  subject: AlertSubject;
  /** The subject's page in Tether (a path), when it has one. */
  subjectHref: string | null;
  /** The subject's page in the AWS console, when it has one. */
  consoleUrl: string | null;
  guidance: AlertGuidance | null;
  acknowledged: { by: string; at: string; reason: string } | null;
  /** The latest silence (it may have expired: compare `until`). */
  silenced: { until: string; by: string; reason: string } | null;
  /** The deliveries of its latest notifying transition, one per channel. */
  deliveries: DeliveryView[];
}

export interface RuleParamView {
  key: string;
  label: string;
  unit: string;
  min: number;
  max: number;
  default: number;
  value: number;
}

export interface RuleView {
  id: AlertRuleId;
  title: string;
  description: string;
  /** "poll": evaluated after each poll; "cycle": after each latency cycle. */
  cadence: "poll" | "cycle";
  enabled: boolean;
  params: RuleParamView[];
  /** Null: every configured channel. */
  channels: string[] | null;
  updatedAt: string | null;
  updatedBy: string | null;
  firing: number;
}

/** A maintenance window as stored: it silences the alerts of a scope between two times. */
export interface MaintenanceWindow {
  id: number;
  /** Null: every account, and the fleet-wide subjects. */
  account: string | null;
  /** Null: every Region of the account. */
  region: string | null;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdBy: string;
  createdAt: string;
}

/** A maintenance window as the pages show it: whether it is in force now. */
export interface MaintenanceWindowView extends MaintenanceWindow {
  active: boolean;
}
