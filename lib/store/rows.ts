import type { AlertTracking, ApiToken, AuditRecord, DiscoveryRun, JobRun, Lease, MaintenanceWindow, MetricRow, OutboxEvent, PipelineUse, ResourceRecord, RuleSettings, SignInSession, StoredAlert, StoredDelivery, StoredExecution, StoredPipeline, StoredPush, StoredTransition, Watch } from "@/lib/store/types";
import type { Role } from "@/lib/roles";
import type { AlertEvent, AlertRuleId, AlertState, AlertSubjectKind, DeliveryState, HistoryEntry, PipelineDefinition, ResourceKind, TransitionKind, WatchState } from "@/lib/types";

/**
 * Rows → Tether's records, for both engines: the schemas have the same columns, numbers come back
 * as numbers or (PostgreSQL BIGINT, COUNT) strings, both read through Number().
 */

export type Row = Record<string, unknown>;

export const str = (v: unknown): string => String(v);
export const opt = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toResource(r: Row): ResourceRecord {
  return {
    kind: r.kind as ResourceKind,
    account: str(r.account),
    region: str(r.region),
    id: str(r.id),
    arn: str(r.arn),
    name: str(r.name),
    provider: str(r.provider),
    status: str(r.status),
    firstSeenAt: str(r.first_seen_at),
    statusSince: str(r.status_since),
    lastSeenAt: str(r.last_seen_at),
    deletedAt: opt(r.deleted_at),
  };
}

export function toHistory(r: Row): HistoryEntry {
  return {
    seq: Number(r.seq),
    kind: r.kind as ResourceKind,
    account: str(r.account),
    region: str(r.region),
    id: str(r.id),
    name: str(r.name),
    fromStatus: opt(r.from_status),
    toStatus: str(r.to_status),
    at: str(r.at),
    initial: Number(r.initial) === 1,
  };
}

export function toAudit(r: Row): AuditRecord {
  return {
    id: Number(r.id),
    at: str(r.at),
    actor: str(r.actor),
    actorRole: r.actor_role as AuditRecord["actorRole"],
    via: r.via as AuditRecord["via"],
    action: str(r.action),
    targetKind: str(r.target_kind),
    target: str(r.target),
    targetName: opt(r.target_name),
    outcome: r.outcome as AuditRecord["outcome"],
    statusBefore: opt(r.status_before),
    detail: opt(r.detail),
    relatedId: r.related_id === null || r.related_id === undefined ? null : Number(r.related_id),
  };
}

export function toToken(r: Row): ApiToken {
  return {
    id: str(r.id),
    name: str(r.name),
    role: r.role as Role,
    hint: str(r.hint),
    createdBy: str(r.created_by),
    createdAt: str(r.created_at),
    expiresAt: opt(r.expires_at),
    lastUsedAt: opt(r.last_used_at),
    revokedAt: opt(r.revoked_at),
    revokedBy: opt(r.revoked_by),
    creatorGroups: r.creator_groups === null || r.creator_groups === undefined ? null : (JSON.parse(str(r.creator_groups)) as string[]),
  };
}

export function toSession(r: Row): SignInSession {
  return {
    id: str(r.id),
    actor: str(r.actor),
    name: opt(r.name),
    groups: JSON.parse(str(r.groups)) as string[],
    createdAt: str(r.created_at),
    expiresAt: str(r.expires_at),
    endedAt: opt(r.ended_at),
    endedBy: opt(r.ended_by),
    endReason: opt(r.end_reason),
  };
}

export function toWatch(r: Row): Watch {
  return {
    id: Number(r.id),
    kind: r.kind as ResourceKind,
    account: str(r.account),
    region: str(r.region),
    resourceId: str(r.resource_id),
    arn: str(r.arn),
    name: str(r.name),
    auditId: Number(r.audit_id),
    startedBy: str(r.started_by),
    startedAt: str(r.started_at),
    deadlineAt: str(r.deadline_at),
    statusBefore: str(r.status_before),
    state: r.state as WatchState,
    lastStatus: opt(r.last_status),
    checks: Number(r.checks),
    finishedAt: opt(r.finished_at),
  };
}

export function toPipeline(r: Row): StoredPipeline {
  return {
    account: str(r.account),
    region: str(r.region),
    name: str(r.name),
    version: Number(r.version),
    pipelineType: str(r.pipeline_type),
    updated: opt(r.updated),
    definition: JSON.parse(str(r.definition)) as PipelineDefinition,
    fetchedAt: str(r.fetched_at),
    lastSweptAt: opt(r.last_swept_at),
    lastSweepAttemptAt: opt(r.last_sweep_attempt_at),
    lastSweepError: opt(r.last_sweep_error),
  };
}

export function toUse(r: Row): PipelineUse {
  return {
    account: str(r.account),
    region: str(r.region),
    pipeline: str(r.pipeline),
    actionName: str(r.action_name),
    connectionAccount: str(r.connection_account),
    connectionRegion: str(r.connection_region),
    connectionId: str(r.connection_id),
    connectionArn: str(r.connection_arn),
    repository: str(r.repository),
    branch: str(r.branch),
  };
}

export function toExecutionRow(r: Row): StoredExecution {
  return {
    account: str(r.account),
    region: str(r.region),
    pipeline: str(r.pipeline),
    executionId: str(r.execution_id),
    status: str(r.status),
    startTime: opt(r.start_time),
    lastUpdateTime: opt(r.last_update_time),
    triggerType: opt(r.trigger_type),
    triggerDetail: opt(r.trigger_detail),
    revisionId: opt(r.revision_id),
    revisionSummary: opt(r.revision_summary),
  };
}

export function toPush(r: Row): StoredPush {
  return {
    id: Number(r.id),
    provider: r.provider as StoredPush["provider"],
    deliveryId: str(r.delivery_id),
    repository: str(r.repository),
    branch: str(r.branch),
    sha: str(r.sha),
    beforeSha: opt(r.before_sha),
    paths: r.paths === null || r.paths === undefined ? null : (JSON.parse(str(r.paths)) as string[]),
    pushedAt: str(r.pushed_at),
    receivedAt: str(r.received_at),
    evaluatedAt: opt(r.evaluated_at),
  };
}

export const toLease = (r: Row): Lease => ({ name: str(r.name), holder: str(r.holder), acquiredAt: str(r.acquired_at), expiresAt: str(r.expires_at) });

export const toMetricRow = (r: Row): MetricRow => ({
  id: Number(r.id),
  metric: str(r.metric),
  unit: str(r.unit),
  value: Number(r.value),
  at: str(r.at),
  pipeline: opt(r.pipeline),
  connectionId: opt(r.connection_id),
  provider: opt(r.provider),
  fleet: Number(r.fleet) === 1,
  attempts: Number(r.attempts),
});

export function toRuleSettings(r: Row): RuleSettings {
  return {
    ruleId: r.rule_id as AlertRuleId,
    enabled: Number(r.enabled) === 1,
    params: JSON.parse(str(r.params)) as Record<string, number>,
    channels: r.channels === null || r.channels === undefined ? null : (JSON.parse(str(r.channels)) as string[]),
    updatedAt: str(r.updated_at),
    updatedBy: str(r.updated_by),
  };
}

export function toAlert(r: Row): StoredAlert {
  return {
    id: Number(r.id),
    ruleId: r.rule_id as AlertRuleId,
    subjectKey: str(r.subject_key),
    subject: {
      kind: r.subject_kind as AlertSubjectKind,
      id: str(r.subject_id),
      name: str(r.subject_name),
      account: opt(r.subject_account),
      region: opt(r.subject_region),
      arn: opt(r.subject_arn),
      provider: opt(r.subject_provider),
    },
    state: r.state as AlertState,
    since: str(r.since),
    firedAt: str(r.fired_at),
    resolvedAt: opt(r.resolved_at),
    summary: str(r.summary),
    detail: str(r.detail),
    lastNotifiedAt: opt(r.last_notified_at),
    acknowledgedAt: opt(r.acknowledged_at),
    acknowledgedBy: opt(r.acknowledged_by),
    ackReason: opt(r.ack_reason),
    silencedUntil: opt(r.silenced_until),
    silencedBy: opt(r.silenced_by),
    silenceReason: opt(r.silence_reason),
  };
}

export function toTracking(r: Row): AlertTracking {
  return {
    ruleId: r.rule_id as AlertRuleId,
    subjectKey: str(r.subject_key),
    observedSince: opt(r.observed_since),
    trueCount: Number(r.true_count),
    falseCount: Number(r.false_count),
    evaluatedAt: str(r.evaluated_at),
  };
}

export function toTransition(r: Row): StoredTransition {
  return {
    id: Number(r.id),
    alertId: Number(r.alert_id),
    kind: r.kind as TransitionKind,
    at: str(r.at),
    actor: opt(r.actor),
    note: opt(r.note),
    notified: Number(r.notified) === 1,
    event: JSON.parse(str(r.event)) as AlertEvent,
  };
}

export function toDelivery(r: Row): StoredDelivery {
  return {
    id: Number(r.id),
    transitionId: Number(r.transition_id),
    channel: str(r.channel),
    state: r.state as DeliveryState,
    attempts: Number(r.attempts),
    nextAttemptAt: str(r.next_attempt_at),
    lastStatus: r.last_status === null || r.last_status === undefined ? null : Number(r.last_status),
    lastError: opt(r.last_error),
    createdAt: str(r.created_at),
    doneAt: opt(r.done_at),
  };
}

export function toOutboxEvent(r: Row): OutboxEvent {
  return {
    id: Number(r.id),
    eventKey: str(r.event_key),
    detailType: str(r.detail_type),
    resources: JSON.parse(str(r.resources)) as string[],
    detail: str(r.detail),
    occurredAt: str(r.occurred_at),
    state: r.state as DeliveryState,
    attempts: Number(r.attempts),
    nextAttemptAt: str(r.next_attempt_at),
    lastError: opt(r.last_error),
    doneAt: opt(r.done_at),
  };
}

export function toWindow(r: Row): MaintenanceWindow {
  return {
    id: Number(r.id),
    account: opt(r.account),
    region: opt(r.region),
    startsAt: str(r.starts_at),
    endsAt: str(r.ends_at),
    reason: str(r.reason),
    createdBy: str(r.created_by),
    createdAt: str(r.created_at),
  };
}

export function toJobRun(r: Row): JobRun {
  return { job: str(r.job), lastRunAt: str(r.last_run_at), lastOkAt: opt(r.last_ok_at), lastError: opt(r.last_error) };
}

export const toDiscoveryRun = (r: Row): DiscoveryRun => ({
  id: Number(r.id),
  startedAt: str(r.started_at),
  finishedAt: str(r.finished_at),
  trigger: str(r.trigger),
  outcome: str(r.outcome) === "ok" ? "ok" : "error",
  error: opt(r.error),
  result: opt(r.result),
});
