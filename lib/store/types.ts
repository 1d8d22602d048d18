/**
 * The store's repository interfaces. The app talks only to these; lib/store/sqlite implements
 * them on one SQLite file, and a PostgreSQL implementation can replace it when several replicas
 * share state. Times are ISO-8601 strings (UTC).
 */
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

export interface Store {
  history: HistoryRepo;
  audit: AuditRepo;
  tokens: TokenRepo;
  watches: WatchRepo;
  close(): void;
}
