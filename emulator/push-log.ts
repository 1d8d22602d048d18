import type { ProviderType } from "./model";

/**
 * Pushes the emulated git providers delivered: the fixture's history (the demo's 7 days, which
 * its CloudWatch latency history was computed from) and the push simulator's. A later import by
 * the app can read them from `GET /_emulator/pushes?source=fixture`.
 */

export type PushOutcome = "start" | "drop";

export interface PushTarget {
  account: string;
  region: string;
  /** Pipeline name. */
  name: string;
  /** `start`: a webhook execution built the commit; `drop`: a missed trigger (no execution). */
  outcome: PushOutcome;
  executionId?: string;
  /** Execution start − push time. */
  latencyMs?: number;
}

export interface PushRecord {
  seq: number;
  source: "fixture" | "simulator";
  /** The provider's delivery id (X-GitHub-Delivery, X-Gitlab-Event-UUID, X-Request-UUID). */
  deliveryId: string;
  repository: string;
  branch: string;
  sha: string;
  /** The branch head before the push, when known. */
  before?: string;
  message: string;
  files?: string[];
  pushedAt: Date;
  provider: ProviderType;
  pipelines: PushTarget[];
  /** Simulator only: the HTTP status of the webhook delivery, null when the app did not answer, absent when none was sent (Azure DevOps). */
  delivered?: number | null;
  deliveredTo?: string;
  deliveryError?: string;
  /** Simulator only: the HTTP status of the EventBridge-shaped event (outcome start), null when it failed. */
  event?: number | null;
  eventError?: string;
}

export interface FixturePush extends Omit<PushRecord, "seq" | "source" | "pushedAt"> {
  offsetMs: number;
}

/** At most this many simulator pushes are kept (the oldest go first). */
export const MAX_SIMULATED_PUSHES = 1000;

export class PushLog {
  private fixture: PushRecord[] = [];
  private simulated: PushRecord[] = [];
  private seq = 0;

  load(pushes: readonly FixturePush[], now: Date): void {
    this.seq = 0;
    this.simulated = [];
    this.fixture = pushes.map(({ offsetMs, ...rest }) => ({
      ...rest,
      seq: ++this.seq,
      source: "fixture" as const,
      pushedAt: new Date(now.getTime() + offsetMs),
    }));
    this.fixture.sort((a, b) => a.pushedAt.getTime() - b.pushedAt.getTime() || a.seq - b.seq);
  }

  add(push: Omit<PushRecord, "seq" | "source">): PushRecord {
    const record: PushRecord = { ...push, seq: ++this.seq, source: "simulator" };
    this.simulated.push(record);
    if (this.simulated.length > MAX_SIMULATED_PUSHES) this.simulated.shift();
    return record;
  }

  /** Newest first. */
  list(source: "fixture" | "simulator" | "all"): PushRecord[] {
    const pick = source === "fixture" ? this.fixture : source === "simulator" ? this.simulated : [...this.fixture, ...this.simulated];
    return [...pick].sort((a, b) => b.pushedAt.getTime() - a.pushedAt.getTime() || b.seq - a.seq);
  }

  get size(): number {
    return this.fixture.length + this.simulated.length;
  }
}

/** The control API's view of a push (ISO times). Simulator pushes name their one pipeline at the top level too. */
export function describePush(p: PushRecord): Record<string, unknown> {
  const only = p.source === "simulator" && p.pipelines.length === 1 ? p.pipelines[0] : undefined;
  return {
    sha: p.sha,
    deliveryId: p.deliveryId,
    source: p.source,
    repository: p.repository,
    branch: p.branch,
    provider: p.provider,
    pushedAt: p.pushedAt.toISOString(),
    ...(only
      ? {
          account: only.account,
          region: only.region,
          pipeline: only.name,
          outcome: only.outcome,
          ...(only.executionId ? { executionId: only.executionId } : {}),
          ...(only.latencyMs !== undefined ? { delayMs: only.latencyMs } : {}),
        }
      : {}),
    ...(p.delivered !== undefined ? { delivered: p.delivered } : {}),
    ...(p.deliveryError ? { deliveryError: p.deliveryError } : {}),
    ...(p.event !== undefined ? { event: p.event } : {}),
    ...(p.eventError ? { eventError: p.eventError } : {}),
    message: p.message,
    ...(p.files ? { files: p.files } : {}),
    pipelines: p.pipelines,
  };
}
