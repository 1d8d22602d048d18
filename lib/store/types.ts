/**
 * The store's repository interfaces. The app talks only to these; lib/store/sqlite implements
 * them on one SQLite file, and a PostgreSQL implementation can replace it when several replicas
 * share state. Times are ISO-8601 strings (UTC).
 */
import type { Execution, PipelineListing } from "@/lib/aws/codepipeline";
import type { PipelineDefinition } from "@/lib/pipelines/triggers";
import type { Role } from "@/lib/roles";

export type ResourceKind = "connection" | "host";

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

export interface HistoryEntry {
  seq: number;
  kind: ResourceKind;
  account: string;
  region: string;
  id: string;
  name: string;
  fromStatus: string | null;
  /** A status, or DELETED when a complete listing no longer had it. */
  toStatus: string;
  at: string;
  /** Recorded by the scope's first complete listing: the state Tether found, not a change. */
  initial: boolean;
}

export interface ScopeState {
  account: string;
  region: string;
  firstCompleteAt: string | null;
  lastCompleteAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
}

export interface HistoryRepo {
  /**
   * Applies one COMPLETE listing of a scope: new resources are first seen, changed statuses get
   * a history entry, resources missing from the listing are marked deleted. Returns the entries
   * written (none when nothing changed).
   */
  recordListing(scope: { account: string; region: string }, kinds: ResourceKind[], items: ObservedResource[], at: string): HistoryEntry[];
  /** A listing that failed or was cut short: history stays as it was. */
  recordFailure(scope: { account: string; region: string }, error: string, at: string): void;
  resources(filter?: { kind?: ResourceKind; includeDeleted?: boolean }): ResourceRecord[];
  resource(kind: ResourceKind, account: string, region: string, id: string): ResourceRecord | null;
  /** Resources by id alone (connection UUIDs are unique; used for deleted connections). */
  findById(kind: ResourceKind, id: string): ResourceRecord[];
  history(kind: ResourceKind, account: string, region: string, id: string): HistoryEntry[];
  /** Changes (not initial entries) since `since`, newest first. */
  changesSince(since: string, limit: number): HistoryEntry[];
  scopeStates(): ScopeState[];
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
  append(record: NewAuditRecord, at?: string): AuditRecord;
  list(filter: AuditFilter, page: { limit: number; offset: number }): { records: AuditRecord[]; total: number };
  get(id: number): AuditRecord | null;
  /** Records that point at any of `ids` (outcomes of watched actions). */
  relatedTo(ids: number[]): AuditRecord[];
  distinct(field: "actor" | "action" | "outcome"): string[];
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  hint: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface TokenRepo {
  create(token: Omit<ApiToken, "lastUsedAt" | "revokedAt" | "revokedBy"> & { hash: string }): void;
  findByHash(hash: string): ApiToken | null;
  list(): ApiToken[];
  get(id: string): ApiToken | null;
  revoke(id: string, by: string, at: string): boolean;
  touch(id: string, at: string): void;
}

export type WatchState = "watching" | "completed" | "failed" | "timeout";

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
  start(w: Omit<Watch, "id" | "state" | "lastStatus" | "checks" | "finishedAt">): Watch;
  get(id: number): Watch | null;
  latestFor(kind: ResourceKind, account: string, region: string, resourceId: string): Watch | null;
  active(): Watch[];
  /** Latest watch of every resource watched since `since`. */
  recent(since: string): Watch[];
  check(id: number, status: string): void;
  finish(id: number, state: Exclude<WatchState, "watching">, status: string | null, at: string): boolean;
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
  lastSweptAt: string | null;
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

export interface PipelineRepo {
  /** What is stored for a scope (to diff against ListPipelines). */
  listed(scope: { account: string; region: string }): { name: string; version: number; updated: string | null }[];
  /** Writes a fetched declaration and the connection uses it names (parsed by the caller). */
  saveDefinition(listing: PipelineListing, def: PipelineDefinition, uses: PipelineUse[], at: string): void;
  /** Pipelines no longer listed in the scope: dropped with their uses and executions. */
  remove(scope: { account: string; region: string }, names: string[]): void;
  all(): StoredPipeline[];
  get(account: string, region: string, name: string): StoredPipeline | null;
  uses(): PipelineUse[];
  usesOf(connection: { account: string; region: string; id: string }): PipelineUse[];
  /** Pipelines least recently swept first. */
  sweepOrder(limit: number): StoredPipeline[];
  /** Upserts executions (status moves on); returns how many were new or changed. */
  saveExecutions(account: string, region: string, pipeline: string, executions: Execution[]): number;
  markSwept(account: string, region: string, pipeline: string, at: string): void;
  executions(account: string, region: string, pipeline: string, limit: number): StoredExecution[];
  /** Stored execution ids of a pipeline with their status (the sweep stops at known, settled ones). */
  known(account: string, region: string, pipeline: string): Map<string, string>;
  executionsSince(since: string): StoredExecution[];
  pruneExecutions(before: string): number;
  /** Records a complete map of a scope; `mapped()` lists the scopes mapped at least once. */
  markMapped(scope: { account: string; region: string }, at: string): void;
  mapped(): Map<string, string>;
}

export interface Store {
  pipelines: PipelineRepo;
  history: HistoryRepo;
  audit: AuditRepo;
  tokens: TokenRepo;
  watches: WatchRepo;
  close(): void;
}
