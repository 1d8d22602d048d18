import {
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  paginateGetMetricData,
  paginateListMetrics,
  PutMetricDataCommand,
  type MetricDataQuery,
  type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { DEMO_LATENCY_CASES } from "../fixtures";
import type { RunningEmulator } from "../server";
import { cloudWatchClient, control, fakeAuthorization, gzip, rawJson, rawQuery, rejection, emulatorPerFile } from "./helpers";

let emulator: RunningEmulator;

emulatorPerFile("empty", (e) => (emulator = e));

const HOUR = 3_600_000;
const NS = "Contract";
/** The start of the hour two hours ago: data in [T0, T0 + 2 h) is within the last 3 hours. */
const hourStart = () => Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;

const cw = (opts: Parameters<typeof cloudWatchClient>[1] = {}) => cloudWatchClient(emulator, opts);

async function put(data: MetricDatum[], namespace = NS, region = "us-east-1") {
  await cw({ region }).send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));
}

function stat(id: string, metricName: string, stat: string, period = 3600, extra: Partial<MetricDataQuery> = {}): MetricDataQuery {
  return { Id: id, MetricStat: { Metric: { Namespace: NS, MetricName: metricName }, Period: period, Stat: stat }, ...extra };
}

/** Nearest-rank reference, written independently of the emulator: sorted[ceil(p/100·N) − 1]. */
function nearestRank(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

describe("PutMetricData → GetMetricData / GetMetricStatistics", () => {
  it("answers every statistic from the raw values, percentiles by nearest rank", async () => {
    const t0 = hourStart();
    // 300 log-spread samples as Values/Counts datums within one hour, in three datums.
    const samples = Array.from({ length: 300 }, (_, i) => Math.round(1000 * Math.exp(((i * 37) % 300) / 60)));
    const counts = new Map<number, number>();
    for (const s of samples) counts.set(s, (counts.get(s) ?? 0) + 1);
    const entries = [...counts];
    const chunks = [entries.slice(0, 100), entries.slice(100, 200), entries.slice(200)];
    await put(
      chunks.map((chunk, i) => ({
        MetricName: "Latency",
        Timestamp: new Date(t0 + i * 600_000 + 1234),
        Values: chunk.map(([v]) => v),
        Counts: chunk.map(([, c]) => c),
        Unit: "Milliseconds",
      })),
    );
    const stats = ["SampleCount", "Sum", "Average", "Minimum", "Maximum", "p50", "p90", "p99", "p99.9", "p10"];
    const out = await cw().send(
      new GetMetricDataCommand({
        StartTime: new Date(t0),
        EndTime: new Date(t0 + HOUR),
        MetricDataQueries: stats.map((s, i) => stat(`q${i}`, "Latency", s)),
      }),
    );
    const got = Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r.Values?.[0]]));
    const sum = samples.reduce((a, b) => a + b, 0);
    expect(got.q0).toBe(300);
    expect(got.q1).toBe(sum);
    expect(got.q2).toBeCloseTo(sum / 300, 9);
    expect(got.q3).toBe(Math.min(...samples));
    expect(got.q4).toBe(Math.max(...samples));
    expect([got.q5, got.q6, got.q7, got.q8, got.q9]).toEqual([50, 90, 99, 99.9, 10].map((p) => nearestRank(samples, p)));
    for (const r of out.MetricDataResults ?? []) {
      expect(r.Timestamps).toEqual([new Date(t0)]);
      expect(r.StatusCode).toBe("Complete");
      expect(r.Label).toBe("Latency");
    }
    expect(out.Messages).toEqual([]);

    const st = await cw().send(
      new GetMetricStatisticsCommand({
        Namespace: NS,
        MetricName: "Latency",
        StartTime: new Date(t0),
        EndTime: new Date(t0 + HOUR),
        Period: 3600,
        Statistics: ["SampleCount", "Sum", "Average", "Minimum", "Maximum"],
        ExtendedStatistics: ["p50", "p99"],
      }),
    );
    expect(st.Label).toBe("Latency");
    expect(st.Datapoints).toEqual([
      {
        Timestamp: new Date(t0),
        SampleCount: 300,
        Sum: sum,
        Average: sum / 300,
        Minimum: Math.min(...samples),
        Maximum: Math.max(...samples),
        ExtendedStatistics: { p50: nearestRank(samples, 50), p99: nearestRank(samples, 99) },
        Unit: "Milliseconds",
      },
    ]);
  });

  it("serves statistic sets for SampleCount/Sum/Average/Min/Max but no percentile", async () => {
    const t0 = hourStart();
    await put([{ MetricName: "Sets", Timestamp: new Date(t0 + 5000), StatisticValues: { SampleCount: 4, Sum: 40, Minimum: 1, Maximum: 30 }, Unit: "Count" }]);
    const out = await cw().send(
      new GetMetricDataCommand({
        StartTime: new Date(t0),
        EndTime: new Date(t0 + HOUR),
        MetricDataQueries: [stat("avg", "Sets", "Average"), stat("n", "Sets", "SampleCount"), stat("p", "Sets", "p50")],
      }),
    );
    expect(out.MetricDataResults?.map((r) => [r.Id, r.Values])).toEqual([
      ["avg", [10]],
      ["n", [4]],
      ["p", []],
    ]);
  });

  it("aligns periods to a StartTime that is a multiple of the period; EndTime is exclusive; empty periods are left out", async () => {
    const t0 = hourStart();
    await put([
      { MetricName: "Align", Timestamp: new Date(t0 + 10_000), Value: 1 },
      { MetricName: "Align", Timestamp: new Date(t0 + 299_000), Value: 2 },
      { MetricName: "Align", Timestamp: new Date(t0 + 300_000), Value: 4 },
      { MetricName: "Align", Timestamp: new Date(t0 + 1_500_000), Value: 8 },
      { MetricName: "Align", Timestamp: new Date(t0 + 1_800_000), Value: 16 },
    ]);
    const out = await cw().send(
      new GetMetricDataCommand({
        StartTime: new Date(t0),
        EndTime: new Date(t0 + 1_800_000),
        ScanBy: "TimestampAscending",
        MetricDataQueries: [stat("s", "Align", "Sum", 300)],
      }),
    );
    expect(out.MetricDataResults?.[0]?.Timestamps).toEqual([new Date(t0), new Date(t0 + 300_000), new Date(t0 + 1_500_000)]);
    expect(out.MetricDataResults?.[0]?.Values).toEqual([3, 4, 8]);

    // An unaligned StartTime is rounded down to the minute and periods start there.
    const odd = await cw().send(
      new GetMetricDataCommand({
        StartTime: new Date(t0 + 5 * 60_000 + 34_000),
        EndTime: new Date(t0 + HOUR),
        ScanBy: "TimestampAscending",
        MetricDataQueries: [stat("s", "Align", "Sum", 600)],
      }),
    );
    expect(odd.MetricDataResults?.[0]?.Timestamps).toEqual([new Date(t0 + 300_000), new Date(t0 + 1_500_000)]);
    expect(odd.MetricDataResults?.[0]?.Values).toEqual([4, 24]);
  });

  it("orders by ScanBy (newest first by default) and echoes labels; ReturnData false is left out", async () => {
    const t0 = hourStart();
    await put([0, 1, 2].map((i) => ({ MetricName: "Scan", Timestamp: new Date(t0 + i * 60_000), Value: i })));
    const out = await cw().send(
      new GetMetricDataCommand({
        StartTime: new Date(t0),
        EndTime: new Date(t0 + HOUR),
        MetricDataQueries: [stat("d", "Scan", "Maximum", 60, { Label: "newest first" }), stat("hidden", "Scan", "Sum", 60, { ReturnData: false })],
      }),
    );
    expect(out.MetricDataResults).toHaveLength(1);
    expect(out.MetricDataResults?.[0]).toMatchObject({ Id: "d", Label: "newest first", Values: [2, 1, 0] });
    const asc = await cw().send(
      new GetMetricDataCommand({ StartTime: new Date(t0), EndTime: new Date(t0 + HOUR), ScanBy: "TimestampAscending", MetricDataQueries: [stat("a", "Scan", "Maximum", 60)] }),
    );
    expect(asc.MetricDataResults?.[0]?.Values).toEqual([0, 1, 2]);
  });

  it("pages by MaxDatapoints across queries (paginateGetMetricData), PartialData until the last page", async () => {
    const t0 = hourStart();
    await put(Array.from({ length: 30 }, (_, i) => ({ MetricName: "Many", Timestamp: new Date(t0 + i * 60_000), Value: i })));
    const queries = [stat("a", "Many", "Sum", 60), stat("b", "Many", "Maximum", 60), stat("c", "Many", "SampleCount", 120)];
    const input = { StartTime: new Date(t0), EndTime: new Date(t0 + HOUR), MetricDataQueries: queries, ScanBy: "TimestampAscending" as const, MaxDatapoints: 25 };
    const pages = [];
    for await (const page of paginateGetMetricData({ client: cw() }, input)) pages.push(page);
    expect(pages).toHaveLength(3); // 30 + 30 + 15 points, 25 a page
    expect(pages[0]?.MetricDataResults?.map((r) => [r.Id, r.Values?.length, r.StatusCode])).toEqual([
      ["a", 25, "PartialData"],
      ["b", 0, "PartialData"],
      ["c", 0, "PartialData"],
    ]);
    expect(pages[2]?.NextToken).toBeUndefined();
    const merged = new Map<string, number[]>();
    for (const p of pages) for (const r of p.MetricDataResults ?? []) merged.set(r.Id ?? "", [...(merged.get(r.Id ?? "") ?? []), ...(r.Values ?? [])]);
    expect(merged.get("a")).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(merged.get("b")).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(merged.get("c")).toEqual(Array.from({ length: 15 }, () => 2));
    expect(pages[2]?.MetricDataResults?.every((r) => r.StatusCode === "Complete")).toBe(true);

    const bad = await rejection(cw().send(new GetMetricDataCommand({ ...input, NextToken: "bm90LWEtdG9rZW4" })));
    expect(bad.name).toBe("InvalidNextToken");
  });

  it("keeps each account/region scope's metrics apart", async () => {
    const t0 = hourStart();
    await put([{ MetricName: "Scoped", Timestamp: new Date(t0), Value: 1 }], NS, "eu-west-1");
    const q = { StartTime: new Date(t0), EndTime: new Date(t0 + HOUR), MetricDataQueries: [stat("s", "Scoped", "Sum")] };
    expect((await cw({ region: "eu-west-1" }).send(new GetMetricDataCommand(q))).MetricDataResults?.[0]?.Values).toEqual([1]);
    expect((await cw().send(new GetMetricDataCommand(q))).MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it("gunzips a large PutMetricData the SDK compressed", async () => {
    const t0 = hourStart();
    const client = cw();
    const encodings: (string | undefined)[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        encodings.push((args.request as { headers?: Record<string, string> }).headers?.["content-encoding"]);
        return next(args);
      },
      { step: "finalizeRequest", name: "captureEncoding" },
    );
    const data = Array.from({ length: 150 }, (_, i) => ({
      MetricName: "Big",
      Dimensions: [{ Name: "Pipeline", Value: `111111111111/us-east-1/pipeline-${i % 10}` }],
      Timestamp: new Date(t0 + i * 1000),
      Values: [i, i + 0.5],
      Counts: [1, 2],
      Unit: "Milliseconds" as const,
    }));
    await client.send(new PutMetricDataCommand({ Namespace: NS, MetricData: data }));
    expect(encodings).toEqual(["gzip"]);
    const listed = await cw().send(new ListMetricsCommand({ Namespace: NS, MetricName: "Big" }));
    expect(listed.Metrics).toHaveLength(10);
    const st = await cw().send(
      new GetMetricStatisticsCommand({
        Namespace: NS,
        MetricName: "Big",
        Dimensions: [{ Name: "Pipeline", Value: "111111111111/us-east-1/pipeline-3" }],
        StartTime: new Date(t0),
        EndTime: new Date(t0 + HOUR),
        Period: 3600,
        Statistics: ["SampleCount"],
      }),
    );
    expect(st.Datapoints?.[0]?.SampleCount).toBe(45);
  });
});

describe("limits and errors (as the SDK raises them)", () => {
  const now = () => new Date();
  const one = (d: Partial<MetricDatum> = {}): MetricDatum => ({ MetricName: "M", Value: 1, ...d });
  const putErr = async (input: { Namespace?: string; MetricData?: MetricDatum[] }) =>
    rejection(cw().send(new PutMetricDataCommand({ Namespace: NS, MetricData: [one()], ...input } as never)));

  it.each([
    ["1001 datums", { MetricData: Array.from({ length: 1001 }, () => one()) }, "InvalidParameterValueException", /must not have a size greater than 1000/],
    ["151 distinct values", { MetricData: [{ MetricName: "M", Values: Array.from({ length: 151 }, (_, i) => i) }] }, "InvalidParameterValueException", /Values must not have a size greater than 150/],
    ["Values and Counts of different lengths", { MetricData: [{ MetricName: "M", Values: [1, 2], Counts: [1] }] }, "InvalidParameterValueException", /same size/],
    ["NaN", { MetricData: [one({ Value: NaN })] }, "InvalidParameterValueException", /The value NaN for parameter MetricData.member.1.Value is invalid/],
    ["Infinity", { MetricData: [one({ Value: Infinity })] }, "InvalidParameterValueException", /Infinity/],
    ["2^361", { MetricData: [one({ Value: 2 ** 361 })] }, "InvalidParameterValueException", /Value is invalid/],
    ["a timestamp older than two weeks", { MetricData: [one({ Timestamp: new Date(Date.now() - 15 * 86_400_000) })] }, "InvalidParameterValueException", /two weeks in the past/],
    ["a timestamp 3 h ahead", { MetricData: [one({ Timestamp: new Date(Date.now() + 3 * HOUR) })] }, "InvalidParameterValueException", /two hours in the future/],
    ["an AWS/ namespace", { Namespace: "AWS/CodePipeline" }, "InvalidParameterValueException", /reserved/],
    ["a missing MetricName", { MetricData: [{ Value: 1 } as MetricDatum] }, "MissingRequiredParameterException", /MetricData.member.1.MetricName is required/],
    ["Value with StatisticValues", { MetricData: [one({ StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } })] }, "InvalidParameterCombinationException", /must not be specified/],
    ["31 dimensions", { MetricData: [one({ Dimensions: Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: "v" })) })] }, "InvalidParameterValueException", /greater than 30/],
    ["StorageResolution 5", { MetricData: [one({ StorageResolution: 5 })] }, "InvalidParameterValueException", /StorageResolution/],
  ])("PutMetricData refuses %s", async (_label, input, name, message) => {
    const e = await putErr(input);
    expect(e.name).toBe(name);
    expect(e.message).toMatch(message);
    expect(e.$metadata.httpStatusCode).toBe(400);
  });

  it("stores nothing from a request with one bad datum", async () => {
    await putErr({ MetricData: [one({ MetricName: "Good" }), one({ Value: NaN })] });
    expect((await cw().send(new ListMetricsCommand({ Namespace: NS }))).Metrics).toEqual([]);
  });

  const gmd = (queries: MetricDataQuery[], extra: object = {}) =>
    rejection(cw().send(new GetMetricDataCommand({ StartTime: new Date(Date.now() - HOUR), EndTime: now(), MetricDataQueries: queries, ...extra })));

  it.each([
    ["501 queries", Array.from({ length: 501 }, (_, i) => stat(`q${i}`, "M", "Sum")), "InvalidParameterValueException", /greater than 500/],
    ["a period of 45 s", [stat("q", "M", "Sum", 45)], "InvalidParameterValueException", /Period must be a multiple of 60/],
    ["a period of 0", [stat("q", "M", "Sum", 0)], "InvalidParameterValueException", /Period/],
    ["an Id starting with a capital", [stat("Q1", "M", "Sum")], "InvalidParameterValueException", /Id is invalid/],
    ["an Id with a dash", [stat("q-1", "M", "Sum")], "InvalidParameterValueException", /Id is invalid/],
    ["a duplicate Id", [stat("q", "M", "Sum"), stat("q", "M", "Average")], "InvalidParameterValueException", /not unique/],
    ["an Expression", [{ Id: "e", Expression: "SUM(METRICS())" }], "InvalidParameterValueException", /Expression is not supported by this emulator/],
    ["an unsupported statistic", [stat("q", "M", "tm90")], "InvalidParameterValueException", /not supported by this emulator/],
    ["p101", [stat("q", "M", "p101")], "InvalidParameterValueException", /p101/],
    ["neither MetricStat nor Expression", [{ Id: "q" }], "InvalidParameterCombinationException", /Exactly one/],
  ])("GetMetricData refuses %s", async (_label, queries, name, message) => {
    const e = await gmd(queries);
    expect(e.name).toBe(name);
    expect(e.message).toMatch(message);
  });

  it("GetMetricData refuses StartTime ≥ EndTime; GetMetricStatistics more than 1,440 datapoints", async () => {
    expect((await gmd([stat("q", "M", "Sum")], { StartTime: now(), EndTime: new Date(Date.now() - HOUR) })).message).toMatch(/StartTime must be less/);
    const e = await rejection(
      cw().send(
        new GetMetricStatisticsCommand({ Namespace: NS, MetricName: "M", StartTime: new Date(Date.now() - 2 * 86_400_000), EndTime: now(), Period: 60, Statistics: ["Sum"] }),
      ),
    );
    expect(e.name).toBe("InvalidParameterCombinationException");
    expect(e.message).toMatch(/exceeds the limit of 1,440/);
  });

  it("returns no data (no error) for a sub-minute period older than 3 hours, as AWS documents", async () => {
    const t = Date.now() - 4 * HOUR;
    await put([{ MetricName: "Old", Timestamp: new Date(t), Value: 1 }]);
    const out = await cw().send(
      new GetMetricDataCommand({ StartTime: new Date(t - HOUR), EndTime: new Date(t + HOUR), MetricDataQueries: [stat("q", "Old", "Sum", 10), stat("m", "Old", "Sum", 60)] }),
    );
    expect(out.MetricDataResults?.map((r) => r.Values?.length)).toEqual([0, 1]);
  });

  it("writes query-compatible errors: namespaced __type, message and x-amzn-query-error", async () => {
    const res = await rawJson(emulator, {
      target: "GraniteServiceVersion20100801.PutMetricData",
      body: JSON.stringify({ Namespace: NS, MetricData: [{ MetricName: "M", Value: "NaN" }] }),
      authorization: fakeAuthorization("monitoring"),
      headers: { "x-amzn-query-mode": "true" },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-query-error")).toBe("InvalidParameterValue;Sender");
    expect(res.headers.get("content-type")).toBe("application/x-amz-json-1.0");
    expect(res.json).toMatchObject({ __type: "com.amazonaws.cloudwatch#InvalidParameterValueException", message: expect.stringMatching(/NaN/) });
  });

  it("refuses a request over 1 MB as sent, and accepts the same data gzipped", async () => {
    const t0 = hourStart();
    const data = Array.from({ length: 1000 }, (_, i) => ({
      MetricName: "Huge",
      Dimensions: [{ Name: "Pipeline", Value: `p-${i % 5}` }],
      Timestamp: (t0 + i) / 1000,
      Values: Array.from({ length: 100 }, (_, j) => j * 1.123456789),
    }));
    const body = JSON.stringify({ Namespace: NS, MetricData: data });
    expect(body.length).toBeGreaterThan(1_048_576);
    const call = (b: string | Buffer, headers: Record<string, string> = {}) =>
      rawJson(emulator, { target: "GraniteServiceVersion20100801.PutMetricData", body: b, authorization: fakeAuthorization("monitoring"), headers });
    const plain = await call(body);
    expect(plain.status).toBe(400);
    expect(String(plain.json.message)).toMatch(/exceeds the PutMetricData limit of 1048576 bytes/);
    const zipped = await call(gzip(body), { "content-encoding": "gzip" });
    expect(zipped.status).toBe(200);
  });

  it("lets injected throttling through the SDK's retries (Throttling;Sender)", async () => {
    await control(emulator, "POST", "/_emulator/faults", { service: "monitoring", operation: "ListMetrics", error: "ThrottlingException", count: 2 });
    const out = await cw({ maxAttempts: 3 }).send(new ListMetricsCommand({}));
    expect(out.$metadata.attempts).toBe(3);
    await control(emulator, "POST", "/_emulator/faults", { service: "monitoring", error: "ThrottlingException", count: 1 });
    const e = await rejection(cw().send(new ListMetricsCommand({})));
    expect(e.name).toBe("Throttling");
    const stats = await control(emulator, "GET", "/_emulator/stats");
    expect(stats.json.calls).toEqual({ monitoring: { ListMetrics: 4 } });
  });
});

describe("ListMetrics", () => {
  it("filters by namespace, name and dimensions (a Name alone matches any value) and pages 500 at a time", async () => {
    const t = new Date();
    const data: MetricDatum[] = Array.from({ length: 620 }, (_, i) => ({
      MetricName: i % 2 ? "Odd" : "Even",
      Dimensions: [{ Name: "Pipeline", Value: `p${String(i).padStart(3, "0")}` }, ...(i % 3 === 0 ? [{ Name: "Provider", Value: "GitHub" }] : [])],
      Timestamp: t,
      Value: i,
    }));
    for (let i = 0; i < data.length; i += 500) await put(data.slice(i, i + 500));
    await put([{ MetricName: "Other", Value: 1 }], "Elsewhere");

    const pages = [];
    for await (const page of paginateListMetrics({ client: cw() }, { Namespace: NS })) pages.push(page);
    expect(pages.map((p) => p.Metrics?.length)).toEqual([500, 120]);
    const all = pages.flatMap((p) => p.Metrics ?? []);
    expect(new Set(all.map((m) => JSON.stringify(m))).size).toBe(620);

    const odd = await cw().send(new ListMetricsCommand({ Namespace: NS, MetricName: "Odd", Dimensions: [{ Name: "Provider" }] }));
    expect(odd.Metrics).toHaveLength(103);
    expect(odd.Metrics?.every((m) => m.MetricName === "Odd" && m.Dimensions?.some((d) => d.Name === "Provider"))).toBe(true);
    const one = await cw().send(new ListMetricsCommand({ Dimensions: [{ Name: "Pipeline", Value: "p003" }] }));
    expect(one.Metrics).toEqual([{ Namespace: NS, MetricName: "Odd", Dimensions: [{ Name: "Pipeline", Value: "p003" }, { Name: "Provider", Value: "GitHub" }] }]);
    expect((await cw().send(new ListMetricsCommand({ Namespace: "Elsewhere", RecentlyActive: "PT3H" }))).Metrics).toHaveLength(1);
  });

  it("omits metrics with no data in the last two weeks; RecentlyActive PT3H keeps those put in the last 3 hours", async () => {
    await put([{ MetricName: "Aging", Value: 1 }]);
    emulator.state.clockOffsetMs = 4 * HOUR;
    expect((await cw().send(new ListMetricsCommand({ Namespace: NS }))).Metrics).toHaveLength(1);
    expect((await cw().send(new ListMetricsCommand({ Namespace: NS, RecentlyActive: "PT3H" }))).Metrics).toHaveLength(0);
    emulator.state.clockOffsetMs = 15 * 86_400_000;
    expect((await cw().send(new ListMetricsCommand({ Namespace: NS }))).Metrics).toHaveLength(0);
  });
});

describe("query protocol (forms in, XML out)", () => {
  const form = (params: Record<string, string>) => new URLSearchParams({ Version: "2010-08-01", ...params }).toString();
  const monitoring = fakeAuthorization("monitoring");

  it("puts with a form and reads with GetMetricData and GetMetricStatistics as XML", async () => {
    const t0 = hourStart();
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    const putRes = await rawQuery(emulator, {
      authorization: monitoring,
      form: form({
        Action: "PutMetricData",
        Namespace: NS,
        "MetricData.member.1.MetricName": "Q",
        "MetricData.member.1.Timestamp": iso(t0 + 60_000),
        "MetricData.member.1.Unit": "Milliseconds",
        "MetricData.member.1.Values.member.1": "100",
        "MetricData.member.1.Values.member.2": "900",
        "MetricData.member.1.Counts.member.1": "9",
        "MetricData.member.1.Counts.member.2": "1",
        "MetricData.member.1.Dimensions.member.1.Name": "Provider",
        "MetricData.member.1.Dimensions.member.1.Value": "GitHub",
      }),
    });
    expect(putRes.status).toBe(200);
    expect(putRes.text).toContain('<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">');

    const gmd = await rawQuery(emulator, {
      authorization: monitoring,
      form: form({
        Action: "GetMetricData",
        StartTime: iso(t0),
        EndTime: iso(t0 + HOUR),
        "MetricDataQueries.member.1.Id": "p90",
        "MetricDataQueries.member.1.MetricStat.Metric.Namespace": NS,
        "MetricDataQueries.member.1.MetricStat.Metric.MetricName": "Q",
        "MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name": "Provider",
        "MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value": "GitHub",
        "MetricDataQueries.member.1.MetricStat.Period": "3600",
        "MetricDataQueries.member.1.MetricStat.Stat": "p90",
        "MetricDataQueries.member.1.ReturnData": "true",
      }),
    });
    expect(gmd.status).toBe(200);
    expect(gmd.headers.get("content-type")).toBe("text/xml");
    expect(gmd.text).toContain(
      `<GetMetricDataResult><MetricDataResults><member><Id>p90</Id><Label>Q</Label><Timestamps><member>${iso(t0)}</member></Timestamps><Values><member>100</member></Values><StatusCode>Complete</StatusCode><Messages></Messages></member></MetricDataResults><Messages></Messages></GetMetricDataResult>`,
    );

    const gms = await rawQuery(emulator, {
      authorization: monitoring,
      form: form({
        Action: "GetMetricStatistics",
        Namespace: NS,
        MetricName: "Q",
        "Dimensions.member.1.Name": "Provider",
        "Dimensions.member.1.Value": "GitHub",
        StartTime: iso(t0),
        EndTime: iso(t0 + HOUR),
        Period: "3600",
        "Statistics.member.1": "Maximum",
        "ExtendedStatistics.member.1": "p99",
      }),
    });
    expect(gms.text).toContain(
      `<Datapoints><member><Timestamp>${iso(t0)}</Timestamp><Maximum>900</Maximum><ExtendedStatistics><entry><key>p99</key><value>900</value></entry></ExtendedStatistics><Unit>Milliseconds</Unit></member></Datapoints>`,
    );
    const list = await rawQuery(emulator, { authorization: monitoring, form: form({ Action: "ListMetrics", Namespace: NS }) });
    expect(list.text).toContain("<Metrics><member><Namespace>Contract</Namespace><MetricName>Q</MetricName><Dimensions><member><Name>Provider</Name><Value>GitHub</Value></member></Dimensions></member></Metrics>");
  });

  it("answers errors as <ErrorResponse> with the query code", async () => {
    const res = await rawQuery(emulator, {
      authorization: monitoring,
      form: form({ Action: "PutMetricData", Namespace: NS, "MetricData.member.1.MetricName": "Q", "MetricData.member.1.Value": "NaN" }),
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain(
      '<ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><Error><Type>Sender</Type><Code>InvalidParameterValue</Code><Message>The value NaN for parameter MetricData.member.1.Value is invalid.</Message></Error>',
    );
    const missing = await rawQuery(emulator, { authorization: monitoring, form: form({ Action: "GetMetricStatistics", Namespace: NS }) });
    expect(missing.text).toContain("<Code>MissingParameter</Code><Message>The parameter MetricName is required.</Message>");
  });
});

describe("the demo's latency history", () => {
  it("is in the metrics home scope under namespace Tether, with the four dimension sets", async () => {
    await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
    const listed = [];
    for await (const page of paginateListMetrics({ client: cw() }, { Namespace: DEMO_LATENCY_CASES.namespace })) listed.push(...(page.Metrics ?? []));
    const latency = listed.filter((m) => m.MetricName === DEMO_LATENCY_CASES.metrics.latency);
    expect(latency.some((m) => m.Dimensions?.length === 0)).toBe(true);
    for (const name of ["Pipeline", "ConnectionId", "Provider"]) expect(latency.some((m) => m.Dimensions?.[0]?.Name === name)).toBe(true);
    expect(new Set(latency.filter((m) => m.Dimensions?.[0]?.Name === "Provider").map((m) => m.Dimensions?.[0]?.Value))).toEqual(
      new Set(["GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged", "Bitbucket"]),
    );
    const end = new Date(Math.ceil(Date.now() / HOUR) * HOUR);
    const start = new Date(end.getTime() - 8 * 24 * HOUR);
    const fleet = (id: string, metric: string, s: string, period = 8 * 24 * 3600) => ({
      Id: id,
      MetricStat: { Metric: { Namespace: "Tether", MetricName: metric, Dimensions: [] }, Period: period, Stat: s },
    });
    const out = await cw().send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          fleet("n", "PushToPipelineStartLatency", "SampleCount"),
          fleet("p50", "PushToPipelineStartLatency", "p50"),
          fleet("p99", "PushToPipelineStartLatency", "p99"),
          fleet("missed", "MissedTrigger", "Sum"),
          fleet("deliveries", "WebhookDelivery", "Sum"),
        ],
      }),
    );
    const v = Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r.Values?.[0]]));
    expect(v.n).toBe(DEMO_LATENCY_CASES.counts.samples);
    expect(v.missed).toBe(DEMO_LATENCY_CASES.counts.missedTriggers);
    expect(v.deliveries).toBe(DEMO_LATENCY_CASES.counts.deliveries);
    expect(v.p50).toBeGreaterThan(2_500);
    expect(v.p50).toBeLessThan(7_000);
    expect(v.p99).toBeGreaterThan(45_000);
    expect(v.p99).toBeLessThan(600_000);
    // Other scopes have none.
    expect((await cw({ region: "eu-west-1" }).send(new ListMetricsCommand({}))).Metrics).toEqual([]);
  });
});
