import type { Dimension } from "./store";

/**
 * Metric alarms per scope (`account/region`), as PutMetricAlarm stored them. The emulator does not
 * evaluate alarms: each stays in the state it was created in, INSUFFICIENT_DATA (BEHAVIOR.md §11).
 */
export interface StoredAlarm {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  AlarmConfigurationUpdatedTimestamp: Date;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  StateValue: "OK" | "ALARM" | "INSUFFICIENT_DATA";
  StateReason: string;
  StateUpdatedTimestamp: Date;
  StateTransitionedTimestamp: Date;
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions: Dimension[];
  Period?: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  Metrics?: Record<string, unknown>[];
  ThresholdMetricId?: string;
}

/** Alarms AWS lets an account keep per Region (the emulator's limit: LimitExceeded past it). */
export const MAX_ALARMS_PER_SCOPE = 10_000;

export class AlarmStore {
  private readonly byScope = new Map<string, Map<string, StoredAlarm>>();

  get(scope: string, name: string): StoredAlarm | undefined {
    return this.byScope.get(scope)?.get(name);
  }

  put(scope: string, alarm: StoredAlarm): void {
    let alarms = this.byScope.get(scope);
    if (!alarms) this.byScope.set(scope, (alarms = new Map()));
    alarms.set(alarm.AlarmName, alarm);
  }

  count(scope: string): number {
    return this.byScope.get(scope)?.size ?? 0;
  }

  /** The scope's alarms sorted by name (AWS answers in alarm-name order). */
  list(scope: string): StoredAlarm[] {
    return [...(this.byScope.get(scope)?.values() ?? [])].sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : a.AlarmName > b.AlarmName ? 1 : 0));
  }

  /** Deletes the named alarms that exist; returns how many went. */
  delete(scope: string, names: readonly string[]): number {
    const alarms = this.byScope.get(scope);
    if (!alarms) return 0;
    return names.filter((n) => alarms.delete(n)).length;
  }

  clear(): void {
    this.byScope.clear();
  }
}
