import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { beforeEach, describe, expect, test, vi } from "vitest";
import type { RunningEmulator } from "../../emulator/server";
import { awsEnv, emulatorPerFile } from "../../emulator/contract/helpers";
import { callAs } from "./test-caller";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";

/**
 * The CloudWatch read path (getLatencyView) against the emulator with the real SDK: known raw
 * values are put with PutMetricData, and every series and breakdown cell the view answers is
 * compared with a nearest-rank percentile computed here from the raw values (the method the
 * emulator documents, BEHAVIOR.md §11). Calls are counted on the emulator and per call on the
 * client Tether uses: never more than 500 queries in one GetMetricData.
 */
const headers = new Headers();
vi.mock("next/headers", () => ({ headers: async () => headers }));

let emulator: RunningEmulator;
const A = "111111111111";
const R = "us-east-1";
const NS = "TetherReadPath";
const ADMIN = "ops-admin@example.com";
const MINUTE = 60_000;

emulatorPerFile("demo", (e) => (emulator = e));

beforeEach(async () => {
  Object.assign(process.env, {
    ...awsEnv(emulator, R),
    TETHER_SCOPES: JSON.stringify([{ account: A, regions: [R] }]),
    TETHER_DATABASE_PATH: ":memory:",
    TETHER_ADMIN_EMAILS: ADMIN,
    TETHER_METRICS_NAMESPACE: NS,
    TETHER_BACKGROUND: "off",
  });
  resetEnvForTests();
  resetSingleton();
  await callAs(headers, "admin", { createdBy: ADMIN });
});

// ---- the reference -----------------------------------------------------------------------------

/** Nearest rank: the smallest value with at least p% of the samples at or below it. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const v = sorted[Math.ceil((p / 100) * sorted.length) - 1];
  if (v === undefined) throw new Error("no values");
  return v;
}

/** A small deterministic generator (an LCG), so the samples are fixed but not hand-picked. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** Raw latencies in ms: mostly 1–10 s with a slow tail, whole milliseconds, some repeated. */
function samples(seed: number, n: number): number[] {
  const r = lcg(seed);
  return Array.from({ length: n }, () => (r() < 0.1 ? 30_000 + Math.round(r() * 90_000) : 1_000 + Math.round(r() * 9) * 1_000 + Math.round(r() * 3) * 7));
}

type Provider = "GitHub" | "Bitbucket" | "GitLab";
/** Minutes back from the current minute; each holds samples of some providers. */
const DATA: { minutesAgo: number; provider: Provider; values: number[] }[] = [
  { minutesAgo: 2, provider: "GitHub", values: samples(1, 120) },
  { minutesAgo: 2, provider: "Bitbucket", values: samples(2, 37) },
  { minutesAgo: 9, provider: "GitHub", values: samples(3, 64) },
  { minutesAgo: 9, provider: "GitLab", values: samples(4, 9) },
  { minutesAgo: 31, provider: "Bitbucket", values: samples(5, 211) },
  { minutesAgo: 31, provider: "GitLab", values: samples(6, 1) },
];
const MISSED = { minutesAgo: 9, count: 3 };

/** Values + Counts as Tether publishes them (one datum ≤ 150 distinct values). */
function datums(metric: string, unit: "Milliseconds" | "Count", dims: { Name: string; Value: string }[], at: Date, values: number[]): MetricDatum[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const entries = [...counts];
  const out: MetricDatum[] = [];
  for (let i = 0; i < entries.length; i += 150) {
    const part = entries.slice(i, i + 150);
    out.push({ MetricName: metric, Unit: unit, Dimensions: dims, Timestamp: at, Values: part.map((e) => e[0]), Counts: part.map((e) => e[1]) });
  }
  return out;
}

/** Puts DATA under {Provider} and {} (the fleet), and the missed triggers under {}; answers the minute times. */
async function putKnownData(): Promise<(minutesAgo: number) => number> {
  const minute = Math.floor(Date.now() / MINUTE) * MINUTE;
  const at = (minutesAgo: number) => minute - minutesAgo * MINUTE;
  const cw = new CloudWatchClient({ region: R, endpoint: emulator.url, credentials: { accessKeyId: "t", secretAccessKey: "t" } });
  const all: MetricDatum[] = [];
  for (const d of DATA) all.push(...datums("PushToPipelineStartLatency", "Milliseconds", [{ Name: "Provider", Value: d.provider }], new Date(at(d.minutesAgo)), d.values));
  for (const m of new Set(DATA.map((d) => d.minutesAgo))) {
    all.push(...datums("PushToPipelineStartLatency", "Milliseconds", [], new Date(at(m)), DATA.filter((d) => d.minutesAgo === m).flatMap((d) => d.values)));
  }
  all.push(...datums("MissedTrigger", "Count", [], new Date(at(MISSED.minutesAgo)), Array<number>(MISSED.count).fill(1)));
  for (let i = 0; i < all.length; i += 1000) await cw.send(new PutMetricDataCommand({ Namespace: NS, MetricData: all.slice(i, i + 1000) }));
  return at;
}

/** The number of queries of every GetMetricData call the app's CloudWatch client sends from now on. */
async function queriesPerCall(): Promise<number[]> {
  const { clientsFor } = await import("@/lib/aws/clients");
  const seen: number[] = [];
  clientsFor({ account: A, region: R }).cloudwatch.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { MetricDataQueries?: unknown[] };
      if (input.MetricDataQueries) seen.push(input.MetricDataQueries.length);
      return next(args);
    },
    { step: "initialize", name: "countQueries" },
  );
  return seen;
}

async function getMetricDataCalls(): Promise<number> {
  const stats = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as { calls: Record<string, Record<string, number>> };
  return stats.calls.monitoring?.GetMetricData ?? 0;
}

const expectedPoint = (values: number[], missed: number | null = null) => ({
  p50: percentile(values, 50),
  p90: percentile(values, 90),
  p99: percentile(values, 99),
  max: Math.max(...values),
  samples: values.length,
  missed,
});

// ---- the tests ---------------------------------------------------------------------------------

describe("getLatencyView", () => {
  test("fleet, 1 h: p50 / p90 / p99 / max / samples per minute equal the reference; missed triggers as a sum", async () => {
    const at = await putKnownData();
    const { getLatencyView } = await import("./latency");
    const view = await getLatencyView({ range: "1h", by: "fleet", value: null });
    expect(view.error).toBeNull();
    expect(view.periodSeconds).toBe(60);
    expect(view.endMs - view.startMs).toBe(3_600_000);
    const minutes = [...new Set(DATA.map((d) => d.minutesAgo))].sort((a, b) => b - a);
    expect(view.points.map((p) => p.t)).toEqual(minutes.map(at));
    for (const m of minutes) {
      const values = DATA.filter((d) => d.minutesAgo === m).flatMap((d) => d.values);
      expect(view.points.find((p) => p.t === at(m))).toEqual({ t: at(m), ...expectedPoint(values, m === MISSED.minutesAgo ? MISSED.count : null) });
    }
    // The reference is not trivially satisfied: the percentiles differ from each other.
    const big = view.points.find((p) => p.t === at(31));
    expect(new Set([big?.p50, big?.p90, big?.p99, big?.max]).size).toBe(4);
  });

  test("one provider: only its values", async () => {
    const at = await putKnownData();
    const { getLatencyView } = await import("./latency");
    const view = await getLatencyView({ range: "6h", by: "provider", value: "GitHub" });
    expect(view.error).toBeNull();
    expect(view.periodSeconds).toBe(300);
    const github = DATA.filter((d) => d.provider === "GitHub");
    const bucket = (t: number) => Math.floor(t / 300_000) * 300_000;
    const buckets = [...new Set(github.map((d) => bucket(at(d.minutesAgo))))].sort((a, b) => a - b);
    expect(view.points.map((p) => p.t)).toEqual(buckets);
    for (const b of buckets) {
      const values = github.filter((d) => bucket(at(d.minutesAgo)) === b).flatMap((d) => d.values);
      expect(view.points.find((p) => p.t === b)).toEqual({ t: b, ...expectedPoint(values) });
    }
  });

  test("the by-provider table: whole-range p50 / p90 / p99 and samples per provider; providers without samples left out", async () => {
    await putKnownData();
    const { getLatencyView } = await import("./latency");
    const calls = await queriesPerCall();
    const before = await getMetricDataCalls();
    const view = await getLatencyView({ range: "1h", by: "fleet", value: null, breakdownBy: "provider", breakdownValues: ["GitHub", "Bitbucket", "GitLab", "AzureDevOps"] });
    expect(view.error).toBeNull();
    expect(view.breakdown?.dimension).toBe("Provider");
    expect(view.breakdown?.rows).toEqual(
      (["GitHub", "Bitbucket", "GitLab"] as const).map((p) => {
        const values = DATA.filter((d) => d.provider === p).flatMap((d) => d.values);
        return { value: p, p50: percentile(values, 50), p90: percentile(values, 90), p99: percentile(values, 99), samples: values.length };
      }),
    );
    // 6 series + 4 × 4 breakdown queries: one call.
    expect(view.queries).toBe(22);
    expect(calls).toEqual([22]);
    expect(view.calls).toBe(1);
    expect(await getMetricDataCalls()).toBe(before + 1);
  });

  test("a view of more than 500 queries is read in the fewest calls, none over 500, and every call's answers are used", async () => {
    await putKnownData();
    const { getLatencyView } = await import("./latency");
    // 130 values: 6 + 130 × 4 = 526 queries. The real providers sit at both ends, so their queries go in different calls.
    const fillers = Array.from({ length: 127 }, (_, i) => `NoSuchProvider${i}`);
    const values = ["Bitbucket", ...fillers, "GitLab", "GitHub"];
    const calls = await queriesPerCall();
    const before = await getMetricDataCalls();
    const view = await getLatencyView({ range: "1h", by: "fleet", value: null, breakdownBy: "provider", breakdownValues: values });
    expect(view.error).toBeNull();
    expect(view.queries).toBe(526);
    expect(calls).toEqual([500, 26]);
    expect(view.calls).toBe(2);
    expect(await getMetricDataCalls()).toBe(before + 2);
    const reference = (p: Provider) => {
      const v = DATA.filter((d) => d.provider === p).flatMap((d) => d.values);
      return { value: p, p50: percentile(v, 50), p90: percentile(v, 90), p99: percentile(v, 99), samples: v.length };
    };
    expect(view.breakdown?.rows).toEqual([reference("Bitbucket"), reference("GitLab"), reference("GitHub")]);
    expect(view.points).toHaveLength(new Set(DATA.map((d) => d.minutesAgo)).size);

    // The largest view the code builds (its breakdown is capped at 498 values): 1,998 queries in 4 calls.
    calls.length = 0;
    const widest = await getLatencyView({ range: "1h", by: "fleet", value: null, breakdownBy: "provider", breakdownValues: Array.from({ length: 600 }, (_, i) => `P${i}`) });
    expect(widest.error).toBeNull();
    expect(widest.queries).toBe(1998);
    expect(calls).toEqual([500, 500, 500, 498]);
    expect(widest.calls).toBe(4);
  });
});
