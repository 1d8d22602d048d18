import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandler } from "@smithy/types";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { putMetricData } from "@/lib/aws/cloudwatch";
import { buildRequests, type Datum } from "./batch";

/**
 * PutMetricData's documented limits, written down here rather than read from batch.ts: 1,000
 * datums a request, 150 values a datum, 1 MB a request. "1 MB" is read strictly (1,000,000
 * bytes, the smaller of its two readings) for the body the SDK serialises, and as 1 MiB for what
 * actually goes on the wire (the SDK gzips large bodies; AWS limits the HTTP POST).
 */
const MAX_DATUMS = 1000;
const MAX_VALUES = 150;
const ONE_MB = 1_000_000;
const ONE_MIB = 1_048_576;

const base = Date.parse("2026-11-25T12:00:00Z");
let id = 0;
const row = (over: Partial<Parameters<typeof buildRequests>[0][number]> = {}) => ({
  id: ++id,
  metric: "PushToPipelineStartLatency",
  unit: "Milliseconds",
  value: 1000,
  at: new Date(base).toISOString(),
  pipeline: "111111111111/us-east-1/web",
  connectionId: "c1",
  provider: "GitHub",
  fleet: true,
  ...over,
});

interface SentDatum {
  MetricName: string;
  Values: number[];
  Counts: number[];
}

/** A CloudWatch client whose HTTP handler keeps the request the SDK built and answers an empty success. */
function capturingClient(compress: boolean): { client: CloudWatchClient; last: () => HttpRequest } {
  let last: HttpRequest | undefined;
  const requestHandler: RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> = {
    handle: async (request) => {
      last = request;
      return { response: { statusCode: 200, headers: { "content-type": "application/x-amz-json-1.0" }, body: new Uint8Array() } };
    },
  };
  const client = new CloudWatchClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1, disableRequestCompression: !compress, requestHandler });
  return {
    client,
    last: () => {
      if (!last) throw new Error("the SDK sent nothing");
      return last;
    },
  };
}

const plain = capturingClient(false);
const gzipped = capturingClient(true);
const scope = { account: "111111111111", region: "us-east-1" };

function bodyBytes(request: HttpRequest): Uint8Array {
  const b: unknown = request.body;
  if (typeof b === "string") return new TextEncoder().encode(b);
  if (b instanceof Uint8Array) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  throw new Error(`unexpected request body ${typeof b}`);
}

/**
 * One request as Tether publishes it (lib/aws/cloudwatch.ts putMetricData, namespace "Tether"),
 * measured on the bytes the SDK hands to the network: the JSON body with compression off, and
 * the body actually sent (gzipped when large) with the SDK's defaults.
 */
async function sent(datums: Datum[]): Promise<{ jsonBytes: number; wireBytes: number; datums: SentDatum[] }> {
  await putMetricData(plain.client, scope, "Tether", datums);
  const json = bodyBytes(plain.last());
  expect(plain.last().headers["content-encoding"]).toBeUndefined();
  await putMetricData(gzipped.client, scope, "Tether", datums);
  const wire = bodyBytes(gzipped.last());
  const unzipped = gzipped.last().headers["content-encoding"] === "gzip" ? gunzipSync(wire) : wire;
  expect(Buffer.from(unzipped).equals(Buffer.from(json))).toBe(true);
  const body = JSON.parse(new TextDecoder().decode(json)) as { Namespace: string; MetricData: SentDatum[] };
  expect(body.Namespace).toBe("Tether");
  return { jsonBytes: json.byteLength, wireBytes: wire.byteLength, datums: body.MetricData };
}

/** Asserts every limit on each request as serialised; answers the measurements. */
async function expectWithinLimits(requests: { datums: Datum[] }[]) {
  const out = [];
  for (const r of requests) {
    const s = await sent(r.datums);
    expect(s.datums.length).toBeGreaterThan(0);
    expect(s.datums.length).toBeLessThanOrEqual(MAX_DATUMS);
    for (const d of s.datums) {
      expect(d.Values.length).toBeLessThanOrEqual(MAX_VALUES);
      expect(d.Counts).toHaveLength(d.Values.length);
    }
    expect(s.jsonBytes).toBeLessThanOrEqual(ONE_MB);
    expect(s.wireBytes).toBeLessThanOrEqual(ONE_MIB);
    out.push(s);
  }
  return out;
}

describe("buildRequests", () => {
  test("one value becomes one datum per dimension set, raw values with counts", () => {
    const [req] = buildRequests([row({ value: 1234.5 }), row({ value: 1234.5 })]);
    expect(req?.datums.map((d) => d.Dimensions)).toEqual([[{ Name: "Pipeline", Value: "111111111111/us-east-1/web" }], [{ Name: "ConnectionId", Value: "c1" }], [{ Name: "Provider", Value: "GitHub" }], []]);
    expect(req?.datums[0]).toMatchObject({ Values: [1234.5], Counts: [2], Unit: "Milliseconds", Timestamp: new Date(base) });
    expect(req?.rowIds).toHaveLength(2);
  });

  test("null dimension values and fleet=false leave sets out; TETHER_METRICS_DIMENSIONS picks sets", () => {
    const [req] = buildRequests([row({ pipeline: null, connectionId: null, fleet: false })]);
    expect(req?.datums.map((d) => d.Dimensions[0]?.Name ?? "{}")).toEqual(["Provider"]);
    const [only] = buildRequests([row()], ["Fleet"]);
    expect(only?.datums).toHaveLength(1);
  });

  test("at most 150 distinct values a datum, as sent: 151 values are a full datum and one more", async () => {
    const rows = Array.from({ length: 151 }, (_, i) => row({ value: i }));
    const reqs = buildRequests(rows, ["Fleet"]);
    const [s] = await expectWithinLimits(reqs);
    expect(reqs).toHaveLength(1);
    expect(s?.datums.map((d) => d.Values.length)).toEqual([MAX_VALUES, 1]);
    expect(s?.datums.flatMap((d) => d.Values).sort((a, b) => a - b)).toEqual(rows.map((r) => r.value));
  });

  test("at most 1,000 datums a request, as sent: 1,001 datums are a full request and one more", async () => {
    // 1,001 minutes × 1 datum each.
    const rows = Array.from({ length: 1001 }, (_, i) => row({ at: new Date(base + i * 60_000).toISOString() }));
    const reqs = buildRequests(rows, ["Fleet"]);
    const sizes = await expectWithinLimits(reqs);
    expect(sizes.map((s) => s.datums.length)).toEqual([MAX_DATUMS, 1]);
    expect(new Set(reqs.flatMap((r) => r.rowIds)).size).toBe(1001);
  });

  test("at most 1 MB a request, measured on the body the SDK sends; full requests are packed to the 5% margin", async () => {
    // Dimension values near CloudWatch's 1,024-character cap: ~1 KB a datum, so bytes bind before 1,000 datums.
    const long = "p".repeat(900);
    const rows = Array.from({ length: 3000 }, (_, i) => row({ pipeline: `${long}${i}`, at: new Date(base + (i % 900) * 60_000).toISOString() }));
    const reqs = buildRequests(rows, ["Pipeline"]);
    const sizes = await expectWithinLimits(reqs);
    expect(reqs.length).toBe(4);
    expect(sizes.reduce((n, s) => n + s.datums.length, 0)).toBe(3000);
    // Every request but the last is full: over 94% of 1 MB as sent, and the next request's first minute (batch.ts packs
    // whole minutes) would have taken it past the 95% batch.ts keeps as its budget.
    for (let i = 0; i + 1 < reqs.length; i++) {
      expect(sizes[i]?.datums.length).toBeLessThan(MAX_DATUMS);
      expect(sizes[i]?.jsonBytes).toBeGreaterThan(0.94 * ONE_MB);
      const nextDatums = reqs[i + 1]?.datums ?? [];
      const nextMinute = nextDatums.filter((d) => d.Timestamp.getTime() === nextDatums[0]?.Timestamp.getTime());
      const more = (await sent([...(reqs[i]?.datums ?? []), ...nextMinute])).jsonBytes;
      expect(more).toBeGreaterThan(0.95 * ONE_MB);
    }
  });

  test("a minute bigger than one request is split by rows: each row in exactly one request", async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => row({ pipeline: `p${i}` }));
    const reqs = buildRequests(rows, ["Pipeline"]);
    const sizes = await expectWithinLimits(reqs);
    expect(sizes.map((s) => s.datums.length)).toEqual([750, 750]);
    const ids = reqs.flatMap((r) => r.rowIds);
    expect(ids).toHaveLength(1500);
    expect(new Set(ids).size).toBe(1500);
  });

  test("a minute split in parts sends each row's values in the part that carries its id", () => {
    // All four sets: each row makes 4 datums (pipeline, connection, provider, fleet), so one minute of
    // 400 rows needs two requests; a refused second part must not hold values of the first part's rows.
    const rows = Array.from({ length: 400 }, (_, i) => row({ id: i + 1, value: 1000 + i, pipeline: `p${i}`, connectionId: `c${i}`, provider: `P${i}` }));
    const reqs = buildRequests(rows);
    expect(reqs.length).toBeGreaterThan(1);
    for (const r of reqs) {
      const values = new Set(r.datums.flatMap((d) => d.Values));
      const own = new Set(rows.filter((x) => r.rowIds.includes(x.id)).map((x) => x.value));
      for (const v of values) expect(own.has(v)).toBe(true);
    }
  });

  test("10,000 samples over a day: within the limits as sent, in at most one request more than the limits force", async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => row({ value: 500 + (i % 997), at: new Date(base + (i % 1440) * 60_000).toISOString(), pipeline: `p${i % 40}`, connectionId: `c${i % 12}`, provider: ["GitHub", "Bitbucket", "GitLab"][i % 3] as string }));
    const reqs = buildRequests(rows);
    const sizes = await expectWithinLimits(reqs);
    const datums = sizes.reduce((n, s) => n + s.datums.length, 0);
    const bytes = sizes.reduce((n, s) => n + s.jsonBytes, 0);
    // Whatever the batching, the datums need ⌈datums / 1,000⌉ requests and the bytes ⌈bytes / 1 MB⌉.
    expect(reqs.length).toBeLessThanOrEqual(Math.max(Math.ceil(datums / MAX_DATUMS), Math.ceil(bytes / ONE_MB)) + 1);
    // Every sample is sent once under each of the four dimension sets.
    expect(sizes.flatMap((s) => s.datums).reduce((n, d) => n + d.Counts.reduce((a, c) => a + c, 0), 0)).toBe(4 * rows.length);
  });
});
