import { providerLabel, utcTime } from "@/lib/labels";
import { connectionGuidance, hostGuidance } from "@/lib/pending-guidance";
import type { AlertGuidance, AlertRuleId, AlertSubject, PipelineVerdict } from "@/lib/types";

/**
 * The built-in alert rules, as pure functions over a snapshot of what Tether knows (no clock, no
 * store, no AWS): each rule lists its findings — the subjects whose condition holds now, with since
 * when if the data says — and how long a finding must last before it counts (`holdMs`). The state
 * machine (machine.ts) turns findings into firing and resolved alerts. docs/alerts.md describes each
 * rule; the thresholds are the parameters below, which admins tune on /alerts/rules.
 */

export interface Resource {
  account: string;
  region: string;
  id: string;
  arn: string;
  name: string;
  provider: string;
  status: string;
  /** When Tether first saw the current status. */
  statusSince: string;
}

export interface Listing {
  kind: "connection" | "host";
  account: string;
  /** Null for an account's connection listing. */
  region: string | null;
  lastCompleteAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
}

export interface PipelineState {
  account: string;
  region: string;
  name: string;
  verdict: PipelineVerdict;
  reason: string;
  /** What to do about it (the broken source action's diagnosis), when known. */
  fix: string | null;
}

/** What the rules read. The evaluation fills the parts its rules need (docs/alerts.md, "Evaluation"). */
export interface AlertSnapshot {
  now: number;
  /** The configured account × Region scopes: listings of anything else are not judged. */
  scopes: { account: string; region: string }[];
  connections: Resource[];
  hosts: Resource[];
  listings: Listing[];
  pipelines: PipelineState[];
  missed: { account: string; region: string; pipeline: string; detectedAt: string }[];
  latencies: { startTime: string; latencyMs: number; provider: string | null }[];
  sloMs: number;
  pollIntervalMs: number;
  /** When this process started (the poller's clock starts there when it never ran). */
  startedAt: number;
  /** Jobs' last runs: `poller`, `metrics`. */
  runs: { job: string; lastRunAt: string; lastOkAt: string | null; lastError: string | null }[];
  /** Metric values that failed to publish and wait for a retry. */
  metricsWaiting: { count: number; reason: string | null };
}

export interface Finding {
  subject: AlertSubject;
  /** When the condition began, if the data says; null: when the evaluation first saw it. */
  since: string | null;
  summary: string;
  detail: string;
  guidance: AlertGuidance | null;
}

export interface ParamDef {
  key: string;
  label: string;
  unit: string;
  min: number;
  max: number;
  default: number;
}

export type Params = Record<string, number>;

export interface RuleDef {
  id: AlertRuleId;
  title: string;
  description: string;
  /** "poll": evaluated right after each poll; "cycle": right after each latency cycle. */
  cadence: "poll" | "cycle";
  params: ParamDef[];
  /** How long a finding must have lasted (since its `since`) before its condition counts as true. */
  holdMs(p: Params): number;
  find(s: AlertSnapshot, p: Params): Finding[];
}

/** Jobs whose runs the self-monitoring rules read (AlertRepo.recordRun). */
export const JOBS = { poller: "poller", metrics: "metrics" } as const;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const p = (params: Params, key: string): number => params[key] ?? 0;
const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (ms: number) => (ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const connectionSubject = (c: Resource): AlertSubject => ({ kind: "connection", id: c.id, name: c.name, account: c.account, region: c.region, arn: c.arn, provider: c.provider });
const hostSubject = (h: Resource): AlertSubject => ({ kind: "host", id: h.id, name: h.name, account: h.account, region: h.region, arn: h.arn, provider: h.provider });
const pipelineSubject = (x: { account: string; region: string; name: string }): AlertSubject => ({ kind: "pipeline", id: `${x.account}/${x.region}/${x.name}`, name: x.name, account: x.account, region: x.region, arn: null, provider: null });
const tetherSubject = (id: string, name: string): AlertSubject => ({ kind: "tether", id, name, account: null, region: null, arn: null, provider: null });

/** p-th percentile by nearest rank (the smallest value with at least p% of the values at or below it). */
export function percentile(values: readonly number[], pct: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((pct / 100) * sorted.length) - 1)] ?? null;
}

const RUNS_TETHER: AlertGuidance = { who: "Whoever runs Tether", howTo: "Check Tether's log and its access to AWS; see docs/alerts.md for what each self-monitoring rule means." };

export const RULES: readonly RuleDef[] = [
  {
    id: "connection-error",
    title: "Connection in ERROR",
    description: "A connection's status is ERROR (one alert per connection). Pipelines that use it cannot start on a push; AWS retries ERROR connections itself.",
    cadence: "poll",
    params: [],
    holdMs: () => 0,
    find: (s) =>
      s.connections
        .filter((c) => c.status === "ERROR")
        .map((c) => ({
          subject: connectionSubject(c),
          since: c.statusSince,
          summary: `Connection ${c.name} is ERROR`,
          detail: `The ${providerLabel(c.provider)} connection ${c.name} (account ${c.account}, home Region ${c.region}) has been ERROR since ${utcTime(c.statusSince)}. Pipelines that use it cannot start on a push.`,
          guidance: connectionGuidance(c.provider, "ERROR"),
        })),
  },
  {
    id: "connection-pending",
    title: "Connection PENDING too long",
    description: "A connection has been PENDING longer than the threshold: nobody has completed its handshake in the console.",
    cadence: "poll",
    params: [{ key: "hours", label: "PENDING for longer than", unit: "h", min: 1, max: 720, default: 24 }],
    holdMs: (params) => p(params, "hours") * HOUR,
    find: (s, params) =>
      s.connections
        .filter((c) => c.status === "PENDING")
        .map((c) => ({
          subject: connectionSubject(c),
          since: c.statusSince,
          summary: `Connection ${c.name} has been PENDING for more than ${p(params, "hours")} h`,
          detail: `The ${providerLabel(c.provider)} connection ${c.name} (account ${c.account}, home Region ${c.region}) has been PENDING since ${utcTime(c.statusSince)}: its handshake was never completed, so no pipeline can use it.`,
          guidance: connectionGuidance(c.provider, "PENDING"),
        })),
  },
  {
    id: "host-pending",
    title: "Host PENDING too long",
    description: "A host (GitHub Enterprise Server, GitLab self-managed) has been PENDING longer than the threshold: its set-up was never completed.",
    cadence: "poll",
    params: [{ key: "hours", label: "PENDING for longer than", unit: "h", min: 1, max: 720, default: 24 }],
    holdMs: (params) => p(params, "hours") * HOUR,
    find: (s, params) =>
      s.hosts
        .filter((h) => h.status === "PENDING")
        .map((h) => ({
          subject: hostSubject(h),
          since: h.statusSince,
          summary: `Host ${h.name} has been PENDING for more than ${p(params, "hours")} h`,
          detail: `The ${providerLabel(h.provider)} host ${h.name} (${h.account}/${h.region}) has been PENDING since ${utcTime(h.statusSince)}: its set-up was never completed, so no connection on it can be used.`,
          guidance: hostGuidance(h.provider),
        })),
  },
  {
    id: "listing-unreachable",
    title: "Listing unreachable",
    description: "Tether has had no complete listing of an account's connections, or of a scope's hosts, for longer than the threshold, and its latest attempt failed: what Tether shows there is getting old.",
    cadence: "poll",
    params: [{ key: "minutes", label: "unreachable for longer than", unit: "min", min: 1, max: 1440, default: 10 }],
    holdMs: (params) => p(params, "minutes") * MINUTE,
    find: (s) => {
      const accounts = new Set(s.scopes.map((x) => x.account));
      const scopes = new Set(s.scopes.map((x) => `${x.account}/${x.region}`));
      return s.listings
        .filter((l) => l.lastError !== null && (l.lastCompleteAt === null || (l.lastAttemptAt !== null && l.lastAttemptAt > l.lastCompleteAt)))
        .filter((l) => (l.kind === "connection" ? accounts.has(l.account) : scopes.has(`${l.account}/${l.region ?? ""}`)))
        .map((l) => {
          const what = l.kind === "connection" ? `the connections of ${l.account}` : `the hosts of ${l.account}/${l.region ?? ""}`;
          const subject: AlertSubject =
            l.kind === "connection"
              ? { kind: "account", id: l.account, name: `connections of ${l.account}`, account: l.account, region: null, arn: null, provider: null }
              : { kind: "scope", id: `${l.account}/${l.region ?? ""}`, name: `hosts of ${l.account}/${l.region ?? ""}`, account: l.account, region: l.region, arn: null, provider: null };
          return {
            subject,
            since: l.lastCompleteAt,
            summary: `Tether cannot list ${what}`,
            detail: `${l.lastCompleteAt ? `No complete listing of ${what} since ${utcTime(l.lastCompleteAt)}` : `Tether has never listed ${what} completely`}; the latest attempt failed: ${l.lastError ?? "unknown error"}. Statuses shown there are as of the last complete listing.`,
            guidance: { who: `Whoever manages Tether's access to account ${l.account}`, howTo: "Check the IAM role and policy Tether uses there (deploy/iam) and that the account and Region are reachable; the error says what failed." },
          };
        });
    },
  },
  {
    id: "pipeline-broken",
    title: "Pipeline broken",
    description: "A pipeline's verdict is broken: a source action's connection is missing or not AVAILABLE, or its trigger excludes the branch, so no push can start it (docs/pipelines.md).",
    cadence: "poll",
    params: [],
    holdMs: () => 0,
    find: (s) =>
      s.pipelines
        .filter((x) => x.verdict === "broken")
        .map((x) => ({
          subject: pipelineSubject(x),
          since: null,
          summary: `Pipeline ${x.name} is broken`,
          detail: `${x.name} (${x.account}/${x.region}): ${x.reason}`,
          guidance: { who: "The pipeline's owners", howTo: x.fix ?? "Open the pipeline in Tether: the diagnosis says which source action cannot start it and why." },
        })),
  },
  {
    id: "missed-triggers",
    title: "Missed triggers",
    description: "At least the threshold of pushes that should have started one pipeline did not, within the window.",
    cadence: "cycle",
    params: [
      { key: "count", label: "missed triggers, at least", unit: "", min: 1, max: 1000, default: 1 },
      { key: "minutes", label: "within the last", unit: "min", min: 5, max: 1440, default: 30 },
    ],
    holdMs: () => 0,
    find: (s, params) => {
      const from = s.now - p(params, "minutes") * MINUTE;
      const byPipeline = new Map<string, { account: string; region: string; name: string; times: string[] }>();
      for (const m of s.missed) {
        if (Date.parse(m.detectedAt) < from) continue;
        const k = `${m.account}/${m.region}/${m.pipeline}`;
        const entry = byPipeline.get(k) ?? { account: m.account, region: m.region, name: m.pipeline, times: [] };
        entry.times.push(m.detectedAt);
        byPipeline.set(k, entry);
      }
      return [...byPipeline.values()]
        .filter((x) => x.times.length >= p(params, "count"))
        .map((x) => {
          const times = [...x.times].sort();
          return {
            subject: pipelineSubject(x),
            since: times[0] ?? null,
            summary: `${plural(times.length, "missed trigger")} on ${x.name} in the last ${p(params, "minutes")} min`,
            detail: `Pushes that should have started ${x.name} (${x.account}/${x.region}) did not: ${plural(times.length, "missed trigger")} detected since ${utcTime(times[0] ?? iso(from))}, the latest at ${utcTime(times.at(-1) ?? iso(from))}.`,
            guidance: { who: "The pipeline's owners", howTo: "Open the pipeline in Tether: its missed triggers name the pushes, and \"why didn't my push start it?\" explains its trigger and connection." },
          };
        });
    },
  },
  {
    id: "latency-slo",
    title: "Push-to-start latency over the SLO",
    description: "The p90 of the push-to-pipeline-start samples Tether stored for executions that started within the window is over TETHER_LATENCY_SLO_SECONDS: fleet-wide, and per provider (with at least the minimum number of samples).",
    cadence: "cycle",
    params: [
      { key: "minutes", label: "p90 over the window of the last", unit: "min", min: 5, max: 1440, default: 30 },
      { key: "minSamples", label: "judged from samples, at least", unit: "", min: 1, max: 10_000, default: 5 },
    ],
    holdMs: () => 0,
    find: (s, params) => {
      const from = s.now - p(params, "minutes") * MINUTE;
      const recent = s.latencies.filter((x) => Date.parse(x.startTime) >= from);
      const groups: { subject: AlertSubject; values: number[]; scope: string }[] = [{ subject: { kind: "fleet", id: "fleet", name: "all pipelines", account: null, region: null, arn: null, provider: null }, values: recent.map((x) => x.latencyMs), scope: "fleet-wide" }];
      const providers = [...new Set(recent.map((x) => x.provider).filter((x): x is string => x !== null))].sort();
      for (const prov of providers) {
        groups.push({ subject: { kind: "provider", id: prov, name: providerLabel(prov), account: null, region: null, arn: null, provider: prov }, values: recent.filter((x) => x.provider === prov).map((x) => x.latencyMs), scope: providerLabel(prov) });
      }
      return groups.flatMap(({ subject, values, scope }) => {
        const p90 = percentile(values, 90);
        if (p90 === null || values.length < p(params, "minSamples") || p90 <= s.sloMs) return [];
        return [
          {
            subject,
            since: null,
            summary: `p90 push-to-start latency ${seconds(p90)} is over the ${seconds(s.sloMs)} SLO (${scope})`,
            detail: `${plural(values.length, "sample")} of executions that started in the last ${p(params, "minutes")} min (${scope}): p90 ${seconds(p90)}, SLO ${seconds(s.sloMs)} (TETHER_LATENCY_SLO_SECONDS).`,
            guidance: { who: "On-call for the CI/CD platform", howTo: "Open /latency by provider and connection to see where it is slow; check the provider's status page and the AWS Health Dashboard for CodePipeline and CodeConnections." },
          },
        ];
      });
    },
  },
  {
    id: "poller-late",
    title: "Background poller late",
    description: "No background poll has completed for the threshold number of poll intervals (TETHER_POLL_INTERVAL_SECONDS): statuses, history and the poll-based alerts are not up to date.",
    cadence: "cycle",
    params: [{ key: "intervals", label: "no poll completed for", unit: "poll intervals", min: 2, max: 100, default: 2 }],
    holdMs: () => 0,
    find: (s, params) => {
      const run = s.runs.find((r) => r.job === JOBS.poller);
      const last = Math.max(run ? Date.parse(run.lastRunAt) : 0, s.startedAt);
      const late = s.now - last;
      if (late <= p(params, "intervals") * s.pollIntervalMs) return [];
      return [
        {
          subject: tetherSubject(JOBS.poller, "Background poller"),
          since: iso(last),
          summary: `No background poll has completed for ${Math.floor(late / MINUTE)} min`,
          detail: `Polls are due every ${seconds(s.pollIntervalMs)} (TETHER_POLL_INTERVAL_SECONDS); ${run ? `the last one completed at ${utcTime(run.lastRunAt)}${run.lastError ? ` (${run.lastError})` : ""}` : `none has completed since Tether started at ${utcTime(iso(s.startedAt))}`}. A poll never overlaps the previous one, so one stuck AWS call holds them all.`,
          guidance: RUNS_TETHER,
        },
      ];
    },
  },
  {
    id: "metrics-stale",
    title: "Metrics not published",
    description: "Metric values have waited longer than the threshold because PutMetricData keeps failing: the latency charts and any CloudWatch alarms on Tether's metrics fall behind (nothing is lost: values wait in the outbox).",
    cadence: "cycle",
    params: [{ key: "minutes", label: "values unpublished for longer than", unit: "min", min: 1, max: 1440, default: 15 }],
    holdMs: (params) => p(params, "minutes") * MINUTE,
    find: (s, params) => {
      if (s.metricsWaiting.count === 0) return [];
      const run = s.runs.find((r) => r.job === JOBS.metrics);
      return [
        {
          subject: tetherSubject(JOBS.metrics, "Metric publisher"),
          since: null,
          summary: `Metrics have not been published for more than ${p(params, "minutes")} min`,
          detail: `${plural(s.metricsWaiting.count, "metric value")} wait for a retry: ${s.metricsWaiting.reason ?? "PutMetricData failed"}. The last successful publish was ${run?.lastOkAt ? `at ${utcTime(run.lastOkAt)}` : "before Tether last started, or never"}.`,
          guidance: { who: "Whoever runs Tether", howTo: "Check that Tether may call cloudwatch:PutMetricData in TETHER_METRICS_SCOPE (deploy/iam) and the error in Tether's log; values are published once CloudWatch accepts them again." },
        },
      ];
    },
  },
];

export const ruleById = (id: AlertRuleId): RuleDef => {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
};

/** The rule's parameters: its defaults, overridden by stored values that are known and in range. */
export function effectiveParams(rule: RuleDef, stored: Params = {}): Params {
  return Object.fromEntries(
    rule.params.map((d) => {
      const v = stored[d.key];
      return [d.key, typeof v === "number" && Number.isFinite(v) && v >= d.min && v <= d.max ? v : d.default];
    }),
  );
}
