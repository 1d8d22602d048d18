/**
 * The store's repository interfaces. The app talks only to these; lib/store/sqlite implements
 * them on one SQLite file, and a PostgreSQL implementation can replace it when several replicas
 * share state. Times are ISO-8601 strings (UTC).
 */
import type { Role } from "@/lib/roles";
import type { AlertEvent, AlertRuleId, AlertState, AlertSubject, DeliveryState, Execution, HistoryEntry, PipelineDefinition, PipelineListing, ResourceKind, TransitionKind, WatchState } from "@/lib/types";

export interface ObservedResource {
  kind: ResourceKind;
  account: string;
  region: string;
  id: string;
  arn: string;
  name: string;
  provider: string;
  status: string;
}

export interface ResourceRecord extends ObservedResource {
  firstSeenAt: string;
  statusSince: string;
  lastSeenAt: string;
  deletedAt: string | null;
}

/**
 * One listing whose completeness decides whether history may move: an account's connections
 * (connections are account-global: `region` is null) or one account × Region's hosts.
 */
export interface ListingKey {
  kind: ResourceKind;
  account: string;
  region: string | null;
}

export interface ListingState extends ListingKey {
  firstCompleteAt: string | null;
  lastCompleteAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  /** The Region whose endpoint gave the last complete listing. */
  answeredRegion: string | null;
}

export interface HistoryRepo {
  /**
   * Applies one COMPLETE listing: new resources are first seen, changed statuses get a history
   * entry, resources of the listing's kind and account (and Region, for hosts) missing from it
   * are marked deleted. Returns the entries written (none when nothing changed). With `events`
   * (an event bus is configured), each entry that is a transition (not `initial`) also gets its
   * event_outbox row in the same transaction (status-events.ts), so an observed change is sent
   * once, whatever crashes or restarts after it.
   */
  recordListing(listing: ListingKey, items: ObservedResource[], at: string, answeredRegion?: string, options?: { events?: boolean }): Promise<HistoryEntry[]>;
  /** A listing that failed or was cut short: history stays as it was. */
  recordFailure(listing: ListingKey, error: string, at: string): Promise<void>;
  resources(filter?: { kind?: ResourceKind; includeDeleted?: boolean }): Promise<ResourceRecord[]>;
  resource(kind: ResourceKind, account: string, region: string, id: string): Promise<ResourceRecord | null>;
  /** Resources by id alone (connection UUIDs are unique; used for deleted connections). */
  findById(kind: ResourceKind, id: string): Promise<ResourceRecord[]>;
  history(kind: ResourceKind, account: string, region: string, id: string): Promise<HistoryEntry[]>;
  /** Changes (not initial entries) since `since`, newest first. */
  changesSince(since: string, limit: number): Promise<HistoryEntry[]>;
  listingStates(): Promise<ListingState[]>;
}

export const AUDIT_OUTCOMES = ["allowed", "refused", "completed", "failed", "timeout", "error"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface NewAuditRecord {
  actor: string;
  actorRole: Role | "none";
  via: "session" | "token" | "system";
  action: string;
  targetKind: string;
  target: string;
  targetName?: string | null;
  outcome: AuditOutcome;
  statusBefore?: string | null;
  detail?: string | null;
  relatedId?: number | null;
}

/** Longest target and target name an audit record keeps (longer ones are cut, ending in "…"). */
export const AUDIT_TARGET_MAX = 200;
/** Longest detail an audit record keeps. */
export const AUDIT_DETAIL_MAX = 1000;
/** Identical refusals of one actor within this long of the first are summarised in one record. */
export const REFUSAL_WINDOW_MS = 60_000;

export interface AuditRecord extends Required<NewAuditRecord> {
  id: number;
  at: string;
}

export interface AuditFilter {
  actor?: string;
  target?: string;
  action?: string;
  outcome?: string;
  from?: string;
  to?: string;
}

export interface AuditRepo {
  /** Appends a record; target, target name and detail are cut to AUDIT_TARGET_MAX / AUDIT_DETAIL_MAX. */
  append(record: NewAuditRecord, at?: string): Promise<AuditRecord>;
  /**
   * A refused attempt, flood-proof: the actor's first refusal of an action is appended at once
   * and opens a burst of REFUSAL_WINDOW_MS; the same actor's refusals of that action within it
   * are only counted (null is returned), and one summary record ("and N more", related to the
   * first) is appended when the burst is closed after it ends. Bursts that ended are closed first.
   */
  refuse(record: NewAuditRecord, at: string): Promise<AuditRecord | null>;
  /** Appends the summaries of every burst that ended before `now`; returns them. */
  closeBursts(now: string): Promise<AuditRecord[]>;
  /** When the earliest open burst ends, or null when none is open. */
  nextBurstEnd(): Promise<string | null>;
  list(filter: AuditFilter, page: { limit: number; offset: number }): Promise<{ records: AuditRecord[]; total: number }>;
  get(id: number): Promise<AuditRecord | null>;
  /** Records that point at any of `ids` (outcomes of watched actions). */
  relatedTo(ids: number[]): Promise<AuditRecord[]>;
  distinct(field: "actor" | "action" | "outcome"): Promise<string[]>;
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  hint: string;
  createdBy: string;
  /** The creator's groups when they made the token (null for tokens older than this field). */
  creatorGroups: string[] | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface TokenRepo {
  /** `creatorGroups` left out: none recorded (the creator's latest sign-in decides, else no groups). */
  create(token: Omit<ApiToken, "lastUsedAt" | "revokedAt" | "revokedBy" | "creatorGroups"> & { hash: string; creatorGroups?: string[] | null }): Promise<void>;
  findByHash(hash: string): Promise<ApiToken | null>;
  list(): Promise<ApiToken[]>;
  get(id: string): Promise<ApiToken | null>;
  revoke(id: string, by: string, at: string): Promise<boolean>;
  touch(id: string, at: string): Promise<void>;
}

/** One sign-in: what the session cookie points at. */
export interface SignInSession {
  id: string;
  /** The user: email, or name when the identity provider gives none (the audit's actor). */
  actor: string;
  name: string | null;
  /** Groups from the identity provider at this sign-in. */
  groups: string[];
  createdAt: string;
  /** createdAt + TETHER_SESSION_MAX_HOURS: the session's absolute end. */
  expiresAt: string;
  endedAt: string | null;
  endedBy: string | null;
  endReason: string | null;
}

export interface SessionRepo {
  start(s: Pick<SignInSession, "id" | "actor" | "name" | "groups" | "createdAt" | "expiresAt">): Promise<void>;
  get(id: string): Promise<SignInSession | null>;
  /** Not ended and not expired at `now` (epoch ms). */
  isActive(id: string, now: number): Promise<boolean>;
  end(id: string, by: string, reason: string, at: string): Promise<boolean>;
  /** Ends every active session of a user (case-insensitive); returns how many. */
  endAllOf(actor: string, by: string, reason: string, at: string): Promise<number>;
  /** Sessions active at `now`, newest first. */
  active(now: number): Promise<SignInSession[]>;
  /** The user's most recent sign-in, active or not. */
  latestOf(actor: string): Promise<SignInSession | null>;
  /** Drops sessions that expired or ended before `before`, except each user's latest sign-in. */
  prune(before: string): Promise<number>;
}


export interface Watch {
  id: number;
  kind: ResourceKind;
  account: string;
  region: string;
  resourceId: string;
  arn: string;
  name: string;
  auditId: number;
  startedBy: string;
  startedAt: string;
  deadlineAt: string;
  statusBefore: string;
  state: WatchState;
  lastStatus: string | null;
  checks: number;
  finishedAt: string | null;
}

export interface WatchRepo {
  start(w: Omit<Watch, "id" | "state" | "lastStatus" | "checks" | "finishedAt">): Promise<Watch>;
  get(id: number): Promise<Watch | null>;
  latestFor(kind: ResourceKind, account: string, region: string, resourceId: string): Promise<Watch | null>;
  active(): Promise<Watch[]>;
  /** Latest watch of every resource watched since `since`. */
  recent(since: string): Promise<Watch[]>;
  check(id: number, status: string): Promise<void>;
  finish(id: number, state: Exclude<WatchState, "watching">, status: string | null, at: string): Promise<boolean>;
}

export interface StoredPipeline {
  account: string;
  region: string;
  name: string;
  version: number;
  pipelineType: string;
  updated: string | null;
  definition: PipelineDefinition;
  fetchedAt: string;
  /** The last successful execution sweep. */
  lastSweptAt: string | null;
  /** The last sweep attempt, successful or not (the sweep's queue order). */
  lastSweepAttemptAt: string | null;
  /** Why the last attempt failed; null after a success. */
  lastSweepError: string | null;
}

export interface PipelineUse {
  account: string;
  region: string;
  pipeline: string;
  actionName: string;
  connectionAccount: string;
  connectionRegion: string;
  connectionId: string;
  connectionArn: string;
  repository: string;
  branch: string;
}

export interface StoredExecution extends Execution {
  account: string;
  region: string;
  pipeline: string;
}

/** What a reader of the pipelines must reread since it last read (`PipelineRepo.changes`). */
export interface PipelineChanges {
  /** The change number read: pass it to the next call. */
  seq: number;
  /** True: `pipelines` is every pipeline (the reader's copy is replaced); false: only those changed since the `seq` asked about. */
  complete: boolean;
  pipelines: StoredPipeline[];
  /** The executions of `pipelines` started since `since`, newest first. */
  executions: StoredExecution[];
}

export interface PipelineRepo {
  /** What is stored for a scope (to diff against ListPipelines). */
  listed(scope: { account: string; region: string }): Promise<{ name: string; version: number; updated: string | null }[]>;
  /** Writes a fetched declaration and the connection uses it names (parsed by the caller). */
  saveDefinition(listing: PipelineListing, def: PipelineDefinition, uses: PipelineUse[], at: string): Promise<void>;
  /** Pipelines no longer listed in the scope: dropped with their uses and executions. */
  remove(scope: { account: string; region: string }, names: string[]): Promise<void>;
  all(): Promise<StoredPipeline[]>;
  /** Pipelines with a source action on this repository (case-insensitive), through the index. */
  watching(repository: string): Promise<StoredPipeline[]>;
  get(account: string, region: string, name: string): Promise<StoredPipeline | null>;
  uses(): Promise<PipelineUse[]>;
  /** Source actions that use a connection: `{account, uuid}` names it (connections are account-global). */
  usesOf(connection: { account: string; id: string }): Promise<PipelineUse[]>;
  /**
   * Up to `limit` pipelines of the given scopes, least recently attempted first (never attempted
   * before all others): pipelines of scopes no longer configured never take a place in the batch.
   */
  sweepOrder(limit: number, scopes: readonly { account: string; region: string }[]): Promise<StoredPipeline[]>;
  /** Upserts executions (status moves on); returns how many were new or changed. */
  saveExecutions(account: string, region: string, pipeline: string, executions: Execution[]): Promise<number>;
  markSwept(account: string, region: string, pipeline: string, at: string): Promise<void>;
  /** A failed sweep: the pipeline goes to the back of the queue; its last success is kept. */
  markSweepFailed(account: string, region: string, pipeline: string, at: string, error: string): Promise<void>;
  /** Stores an execution only if its id is new (an event never overwrites what a sweep read). */
  addExecution(account: string, region: string, pipeline: string, execution: Execution): Promise<boolean>;
  executions(account: string, region: string, pipeline: string, limit: number): Promise<StoredExecution[]>;
  /** Stored execution ids of a pipeline with their status (the sweep stops at known, settled ones). */
  known(account: string, region: string, pipeline: string): Promise<Map<string, string>>;
  /** Executions started since `since`, newest first: the whole fleet's, or one pipeline's. */
  executionsSince(since: string, of?: { account: string; region: string; pipeline: string }): Promise<StoredExecution[]>;
  pruneExecutions(before: string): Promise<number>;
  /**
   * The pipelines whose row on the pipelines page may have changed since change number `seq`
   * (their declaration, their first sweep, an execution new or changed, a revision found), with
   * their executions started since `since`; every pipeline (`complete`) when `seq` is −1 or older
   * than the last removal (pipelines removed, executions pruned). A pipeline may come again in the
   * next call; none is ever missed.
   */
  changes(seq: number, since: string): Promise<PipelineChanges>;
  /** Records a complete map of a scope; `mapped()` lists the scopes mapped at least once. */
  markMapped(scope: { account: string; region: string }, at: string): Promise<void>;
  mapped(): Promise<Map<string, string>>;
}

export interface NewPush {
  provider: "github" | "gitlab" | "bitbucket";
  deliveryId: string;
  repository: string;
  branch: string;
  sha: string;
  beforeSha: string | null;
  paths: string[] | null;
  pushedAt: string;
  receivedAt: string;
}

export interface StoredPush extends NewPush {
  id: number;
  evaluatedAt: string | null;
}

export type SampleKind = "sample" | "negative" | "no-push";

export interface Sample {
  account: string;
  region: string;
  pipeline: string;
  executionId: string;
  pushId: number | null;
  connectionId: string | null;
  provider: string | null;
  latencyMs: number | null;
  startTime: string;
  kind: SampleKind;
  createdAt: string;
}

export interface MissedTrigger {
  pushId: number;
  account: string;
  region: string;
  pipeline: string;
  connectionId: string | null;
  provider: string | null;
  state: "missed" | "unknown";
  reason: string;
  detectedAt: string;
}

export interface MetricValue {
  metric: string;
  unit: string;
  value: number;
  at: string;
  /** Dimension values; a null value leaves that dimension set out for this value. */
  pipeline: string | null;
  connectionId: string | null;
  provider: string | null;
  /** Counted in the fleet-wide set {} too. */
  fleet: boolean;
}

export interface MetricRow extends MetricValue {
  id: number;
  attempts: number;
}

/** Lookups of an execution's commit before Tether gives up on it (it then never becomes a sample). */
export const MAX_REVISION_ATTEMPTS = 3;

export interface LatencyRepo {
  /** Records an authenticated delivery; false when its id was seen before (a re-delivery). */
  recordDelivery(provider: string, deliveryId: string, event: string, status: string, at: string): Promise<boolean>;
  /** The same through the group committer (a delivery the receiver answers only once it is committed). */
  storeDelivery(provider: string, deliveryId: string, event: string, status: string, at: string): Promise<boolean>;
  /** Stores a push; `duplicate` when the provider's delivery id was seen before (nothing written). */
  savePush(p: NewPush): Promise<{ id: number; duplicate: boolean }>;
  /**
   * The delivery and its push in one transaction (a failure writes neither, so the provider's
   * retry is stored rather than answered "duplicate"); null when the delivery id was seen before,
   * or when the same push (provider, repository, branch, commit) is already stored under another
   * delivery id: a replay, whose id is then recorded as a duplicate. `outbox` values (the
   * delivery's metrics) are added in the same transaction when the push is stored. Deliveries that
   * arrive together share one transaction (group commit); each promise settles once its write
   * committed.
   */
  storePushDelivery(p: NewPush, event: string, outbox?: (MetricValue & { source: string })[]): Promise<{ id: number } | null>;
  pushesBySha(sha: string): Promise<StoredPush[]>;
  /** Pushes not yet checked for missed triggers that arrived before `before`. */
  pushesToEvaluate(before: string, limit: number): Promise<StoredPush[]>;
  markEvaluated(id: number, at: string): Promise<void>;
  /** Pushes to the same repository and branch after `after` (a later commit also counts as started). */
  pushesAfter(repository: string, branch: string, after: string): Promise<StoredPush[]>;
  recentPushes(limit: number, filter?: { repository?: string; branch?: string }): Promise<StoredPush[]>;
  /**
   * Webhook-triggered executions with a commit and no sample row yet, that can be decided now:
   * a push with their commit is stored, or they started before `waitBefore` (then: no push).
   * Executions from before Tether received its first push are never candidates.
   */
  unjoined(opts: { since: string; waitBefore: string; sha?: string; limit: number }): Promise<StoredExecution[]>;
  /** Webhook-triggered executions whose commit is not known yet (an event without it), still worth a lookup. */
  unresolved(since: string, limit: number): Promise<StoredExecution[]>;
  setRevision(account: string, region: string, pipeline: string, executionId: string, revisionId: string): Promise<void>;
  /**
   * Drops what is older than `before` and done with: published or dropped metric values, delivery
   * ids, samples, missed triggers, and judged pushes nothing refers to any more.
   */
  prune(before: string): Promise<number>;
  /** One failed or empty commit lookup; after MAX_REVISION_ATTEMPTS the execution leaves `unresolved`. */
  noteRevisionAttempt(account: string, region: string, pipeline: string, executionId: string): Promise<void>;
  saveSample(s: Sample): Promise<boolean>;
  /** Samples by kind whose execution started since `since` (counted in SQL, not loaded). */
  sampleCounts(since: string): Promise<Record<Sample["kind"], number>>;
  /**
   * The latencies (kind "sample" only) of executions that started at or after `since`, oldest
   * first: what the latency SLO alert computes its p90 from, fleet-wide and per provider.
   */
  latenciesSince(since: string): Promise<{ startTime: string; latencyMs: number; provider: string | null }[]>;
  saveMissed(m: MissedTrigger): Promise<boolean>;
  missedSince(since: string, filter?: { account?: string; region?: string; pipeline?: string; connectionId?: string }): Promise<(MissedTrigger & { push: StoredPush })[]>;
  /** Adds metric values to the outbox; `source` makes it idempotent. */
  enqueue(rows: (MetricValue & { source: string })[], now: string): Promise<number>;
  /** Values due at `now` (pending, their next attempt come, not claimed by a publisher), oldest first. */
  due(now: string, limit: number): Promise<MetricRow[]>;
  /**
   * Claims up to `limit` values due at `now` for one publisher until `until`, oldest first: the
   * values publishers claim at the same time never overlap (PostgreSQL: FOR UPDATE SKIP LOCKED), and
   * a claimed value is not due again until the claim runs out or it is published, dropped or retried.
   */
  claimDue(now: string, limit: number, until: string): Promise<MetricRow[]>;
  markPublished(ids: number[], at: string): Promise<void>;
  markDropped(ids: number[], reason: string, at: string): Promise<void>;
  retryLater(ids: number[], nextAt: string, reason: string): Promise<void>;
  /** CloudWatch accepted values again: every value waiting out a backoff becomes due now. Returns how many. */
  retryNow(now: string): Promise<number>;
  /** Values waiting out a backoff after a failed publish: how many, the latest reason, the next attempt. */
  retrying(): Promise<{ count: number; reason: string | null; nextAt: string | null }>;
  /** Values in the metric outbox by state; `exceptMetric`: leave that metric out (the heartbeat). */
  outboxCounts(exceptMetric?: string): Promise<Record<"pending" | "published" | "dropped", number>>;
  droppedReasons(): Promise<{ reason: string; count: number }[]>;
}

/** A named lease on a background job: who runs it, and until when unless renewed. */
export interface Lease {
  name: string;
  holder: string;
  acquiredAt: string;
  expiresAt: string;
}

/**
 * Leases that give each background job to one replica at a time. Times are the callers' clocks
 * (replicas' clocks must agree to well within a lease, as NTP keeps them).
 */
export interface LeaseRepo {
  /**
   * Takes the lease `name` for `holder` until `until` when nobody holds it, when its holder's time
   * ran out (its `expiresAt` is not after `now`), or when `holder` holds it already (a renewal,
   * which keeps `acquiredAt`). True when `holder` holds it now; two replicas asking at once never
   * both get it.
   */
  acquire(name: string, holder: string, now: string, until: string): Promise<boolean>;
  /** Gives the lease up at once if `holder` holds it (a replica stopping its jobs). */
  release(name: string, holder: string): Promise<void>;
  /** Every lease, by name, held or expired. */
  list(): Promise<Lease[]>;
}

/**
 * What the replicas share about each listing (keys are the fleet layer's); the listings themselves
 * stay in each replica's memory.
 */
export interface SharedListingRepo {
  /**
   * A forced refresh of `key` at `now`: true (and recorded) when no replica refreshed it after
   * `notBefore`, so this caller relists; false when one did. Two callers at once never both get true.
   */
  claimRefresh(key: string, now: string, notBefore: string): Promise<boolean>;
  /** Keeps a complete listing (JSON) listed at `at`, unless a later one is kept already. */
  saveComplete(key: string, listing: string, at: string): Promise<void>;
  /** The last complete listing of `key` and when it was listed, or null. */
  lastComplete(key: string): Promise<{ listing: string; at: string } | null>;
}

// ---------------------------------------------------------------------------------------------
// Alerts (docs/alerts.md). Tables of migration 8: alert_rules, alerts, alert_tracking,
// alert_transitions, notification_outbox, maintenance_windows, job_runs.

/** An admin's changes to a built-in rule (a rule without settings runs with its defaults). */
export interface RuleSettings {
  ruleId: AlertRuleId;
  enabled: boolean;
  /** The thresholds changed, by parameter key (the rule's defaults fill the others). */
  params: Record<string, number>;
  /** Channel ids the rule notifies; null = every configured channel. */
  channels: string[] | null;
  updatedAt: string;
  updatedBy: string;
}

export interface StoredAlert {
  id: number;
  ruleId: AlertRuleId;
  /** Identifies the subject within its rule (`kind|account|region|id`): one firing alert per rule and key. */
  subjectKey: string;
  subject: AlertSubject;
  state: AlertState;
  since: string;
  firedAt: string;
  resolvedAt: string | null;
  summary: string;
  detail: string;
  /** The last transition whose notifications were queued (fired or renotified); null: never notified. */
  lastNotifiedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  ackReason: string | null;
  silencedUntil: string | null;
  silencedBy: string | null;
  silenceReason: string | null;
}

/** What the evaluation remembers between passes for one rule and subject: the damping counters. */
export interface AlertTracking {
  ruleId: AlertRuleId;
  subjectKey: string;
  /** When the evaluation first saw the rule's finding for this subject (its "since" when the data has none). */
  observedSince: string | null;
  /** Consecutive evaluations with the condition true / false. */
  trueCount: number;
  falseCount: number;
  evaluatedAt: string;
}

export interface StoredTransition {
  id: number;
  alertId: number;
  kind: TransitionKind;
  at: string;
  /** Who acknowledged or silenced; null for the evaluation's transitions. */
  actor: string | null;
  /** The reason given, or why no notification was sent (silenced, maintenance, no channel). */
  note: string | null;
  /** Notifications were queued for it (one outbox row per routed channel). */
  notified: boolean;
  event: AlertEvent;
}

export interface StoredDelivery {
  id: number;
  transitionId: number;
  channel: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
}

import type { MaintenanceWindow } from "@/lib/types/alerts";
export type { MaintenanceWindow };

/** A background job's last run (the self-monitoring rules read them). */
export interface JobRun {
  job: string;
  lastRunAt: string;
  /** The last run that succeeded; null: none yet. */
  lastOkAt: string | null;
  /** Why the last run failed; null after a success. */
  lastError: string | null;
}

/** A transition the evaluation decided, with the channels to queue a delivery for (none when not notified). */
interface TransitionChange {
  event: AlertEvent;
  notified: boolean;
  note: string | null;
  channels: string[];
}

/** One evaluation's outcome, applied by `AlertRepo.apply` in one transaction. */
export interface AlertChanges {
  at: string;
  /** Tracking rows to write (insert or replace by rule and key). */
  track: AlertTracking[];
  /** Tracking rows to drop (nothing to remember: condition false, no firing alert). */
  untrack: { ruleId: AlertRuleId; subjectKey: string }[];
  /** New firing alerts: the alert row and its "fired" transition. */
  fire: (TransitionChange & { ruleId: AlertRuleId; subjectKey: string; subject: AlertSubject; since: string; summary: string; detail: string })[];
  /** Firing alerts notified again ("renotified" transition); last_notified_at becomes `at`. */
  renotify: (TransitionChange & { alertId: number })[];
  /** Firing alerts whose condition cleared ("resolved" transition). */
  resolve: (TransitionChange & { alertId: number })[];
  /** Firing alerts whose text changed (a new p90, a new count): updated without a transition. */
  refresh: { alertId: number; summary: string; detail: string }[];
}

export interface AlertFilter {
  state?: AlertState;
  ruleId?: AlertRuleId;
}

/** A delivery due now, with what it delivers. */
export interface DueDelivery extends StoredDelivery {
  transition: StoredTransition;
}

/** An event_outbox row: one event for the EventBridge bus that is not an alert transition. */
export interface OutboxEvent {
  id: number;
  eventKey: string;
  detailType: string;
  resources: string[];
  /** JSON text. */
  detail: string;
  occurredAt: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  doneAt: string | null;
}

export interface AlertRepo {
  ruleSettings(): Promise<RuleSettings[]>;
  /** Insert or replace one rule's settings. */
  saveRuleSettings(s: RuleSettings): Promise<void>;

  /** Tracking rows of these rules. */
  tracking(ruleIds: readonly AlertRuleId[]): Promise<AlertTracking[]>;
  /** Firing alerts, of these rules only when given. */
  firing(ruleIds?: readonly AlertRuleId[]): Promise<StoredAlert[]>;
  /**
   * Applies one evaluation in ONE transaction, so a crash keeps all of it or none of it:
   * tracking rows written and dropped; each `fire` inserts the alert (skipped when the rule and key
   * already have a firing alert) and its "fired" transition; each `renotify` appends a transition
   * and sets last_notified_at; each `resolve` marks the alert resolved (skipped when it no longer
   * fires) and appends its transition; `refresh` updates texts. A `fire` or `renotify` that is
   * `notified` sets last_notified_at = `at`. Every transition with `channels` gets one outbox row
   * per channel (state pending, due at `at`), unique per (transition, channel): the same
   * transition is never queued twice. Returns the ids of the alerts fired and of the transitions
   * written.
   */
  apply(changes: AlertChanges): Promise<{ fired: number[]; transitions: number[] }>;

  get(id: number): Promise<StoredAlert | null>;
  /** Firing alerts first (newest first), then resolved ones (most recently resolved first). */
  list(filter: AlertFilter, page: { limit: number; offset: number }): Promise<{ alerts: StoredAlert[]; total: number }>;
  countFiring(): Promise<number>;
  /** Firing alerts per rule. */
  firingByRule(): Promise<Map<AlertRuleId, number>>;
  /** Every transition of these alerts, oldest first. */
  transitions(alertIds: readonly number[]): Promise<StoredTransition[]>;
  /** Every delivery of these transitions. */
  deliveries(transitionIds: readonly number[]): Promise<StoredDelivery[]>;
  /**
   * Marks a firing alert acknowledged and appends an "acknowledged" transition (not notified);
   * null when the alert does not exist or is not firing.
   */
  acknowledge(id: number, by: string, reason: string, at: string): Promise<StoredAlert | null>;
  /** Silences a firing alert until `until` and appends a "silenced" transition; null when it does not exist or is not firing. */
  silence(id: number, until: string, by: string, reason: string, at: string): Promise<StoredAlert | null>;

  /** Pending deliveries due at `now` (next_attempt_at ≤ now), oldest first. */
  dueDeliveries(now: string, limit: number): Promise<DueDelivery[]>;
  /**
   * Takes a due delivery for one attempt: attempts + 1, next_attempt_at = `leaseUntil` (so a
   * crash mid-attempt retries it after the lease, and another process does not take it meanwhile).
   * False when it is no longer pending and due.
   */
  claimDelivery(id: number, now: string, leaseUntil: string): Promise<boolean>;
  markDelivered(id: number, status: number, at: string): Promise<void>;
  /** The attempt failed and will be retried at `nextAt`. */
  retryDelivery(id: number, nextAt: string, status: number | null, error: string): Promise<void>;
  /** Given up: shown as failed. */
  failDelivery(id: number, status: number | null, error: string, at: string): Promise<void>;

  /** Pending event_outbox rows due at `now`, oldest first (status changes for the event bus). */
  dueEvents(now: string, limit: number): Promise<OutboxEvent[]>;
  /** As claimDelivery, for an event_outbox row. */
  claimEvent(id: number, now: string, leaseUntil: string): Promise<boolean>;
  eventSent(id: number, at: string): Promise<void>;
  retryEvent(id: number, nextAt: string, error: string): Promise<void>;
  failEvent(id: number, error: string, at: string): Promise<void>;
  /** Every event_outbox row, newest first (tests, support). */
  outboxEvents(limit: number): Promise<OutboxEvent[]>;

  addWindow(w: Omit<MaintenanceWindow, "id">): Promise<MaintenanceWindow>;
  /** Ends a window now (ends_at = `at`); false when it had already ended. */
  endWindow(id: number, at: string): Promise<boolean>;
  /** Windows that have not ended at `now` (active or to come), soonest first. */
  windows(now: string): Promise<MaintenanceWindow[]>;

  /** Records a job's run: `error` null for a success (last_ok_at = `at`). */
  recordRun(job: string, at: string, error: string | null): Promise<void>;
  runs(): Promise<JobRun[]>;

  /**
   * Drops alerts resolved before `before` with their transitions and deliveries, ended maintenance
   * windows, tracking rows not evaluated since `before`, and event_outbox rows sent or failed
   * before `before`. Returns how many alerts went.
   */
  prune(before: string): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Organization discovery (lib/fleet/discovery.ts). Table of migration 13: discovery_runs.

/** Runs kept; older ones are deleted as new ones are saved. */
export const DISCOVERY_RUNS_KEPT = 50;

export interface NewDiscoveryRun {
  startedAt: string;
  finishedAt: string;
  /** "schedule", or the admin who ran it. */
  trigger: string;
  outcome: "ok" | "error";
  /** Why the run failed (outcome "error"). */
  error: string | null;
  /** What it found, as JSON (the fleet layer's shape); null when it failed. */
  result: string | null;
}

export interface DiscoveryRun extends NewDiscoveryRun {
  id: number;
}

export interface DiscoveryRepo {
  /** Saves a finished run and deletes all but the newest DISCOVERY_RUNS_KEPT; its id. */
  save(run: NewDiscoveryRun): Promise<number>;
  /** The newest run, whatever its outcome, or null. */
  latest(): Promise<DiscoveryRun | null>;
  /** The newest successful run (the discovered scopes), or null. */
  lastSuccessful(): Promise<DiscoveryRun | null>;
  /** The newest `limit` runs, newest first. */
  recent(limit: number): Promise<DiscoveryRun[]>;
}

export interface Store {
  discovery: DiscoveryRepo;
  alerts: AlertRepo;
  sessions: SessionRepo;
  leases: LeaseRepo;
  listings: SharedListingRepo;
  latency: LatencyRepo;
  pipelines: PipelineRepo;
  history: HistoryRepo;
  audit: AuditRepo;
  tokens: TokenRepo;
  watches: WatchRepo;
  close(): Promise<void>;
}
