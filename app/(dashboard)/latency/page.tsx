import type { Metadata } from "next";
import { LatencySection } from "@/components/charts/latency-section";
import { MissedTable } from "@/components/charts/missed-table";
import { PageHeader } from "@/components/layout/page-header";
import { buttonClass } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { Time } from "@/components/ui/time";
import { guardPage } from "@/lib/data/guards";
import { getLatencyHealth, getLatencyTargets, getLatencyView, getMissedTriggers, parseLatencyQuery } from "@/lib/data/latency";
import { providerLabel } from "@/lib/labels";
import { PROVIDERS } from "@/lib/types";

export const metadata: Metadata = { title: "Latency" };

const ms = (v: number | null) => (v === null ? "—" : `${(v / 1000).toFixed(1)} s`);

export default async function LatencyPage(props: PageProps<"/latency">) {
  await guardPage("viewer", "/latency");
  const params = await props.searchParams;
  const q = parseLatencyQuery(params);
  const [view, missed, health, targets] = await Promise.all([
    getLatencyView({ ...q, ...(q.by === "fleet" ? { breakdownBy: "provider" as const, breakdownValues: [...PROVIDERS] } : {}) }),
    getMissedTriggers(),
    getLatencyHealth(),
    getLatencyTargets(),
  ]);
  const now = Date.parse(view.generatedAt);
  const current = q.by === "fleet" ? "fleet:" : `${q.by}:${q.value}`;
  const link = (range: string) => {
    const p = new URLSearchParams({ range });
    if (q.by !== "fleet" && q.value) {
      p.set("by", q.by);
      p.set("value", q.value);
    }
    return `/latency?${p}`;
  };
  const label =
    q.by === "fleet"
      ? "the whole fleet"
      : q.by === "provider"
        ? providerLabel(q.value ?? "")
        : q.by === "connection"
          ? (targets.connections.find((c) => c.id.toLowerCase() === q.value?.toLowerCase())?.name ?? q.value)
          : q.value;
  return (
    <>
      <PageHeader
        title="Push-to-pipeline-start latency"
        description="From a push (GitHub: pushed_at; GitLab and Bitbucket: when Tether received it) to the execution CodePipeline started for that commit. Tether publishes every sample to CloudWatch in the metrics home scope and reads these charts back with GetMetricData."
      />
      {health.retrying.count ? (
        <Alert tone="warning" className="mb-4" data-testid="publish-retrying" title={`${health.retrying.count} metric value${health.retrying.count === 1 ? "" : "s"} waiting for CloudWatch`}>
          The last PutMetricData was not accepted ({health.retrying.reason ?? "no reason given"}). Tether keeps the values and retries
          {health.retrying.nextAt ? (
            <>
              {" "}
              (next attempt <Time iso={health.retrying.nextAt} now={now} />)
            </>
          ) : null}
          ; the charts miss them until then.
        </Alert>
      ) : null}
      <form method="get" action="/latency" className="mb-4 flex flex-wrap items-end gap-2 text-sm">
        <input type="hidden" name="range" value={q.range} />
        <label className="flex min-w-0 flex-col gap-1 max-md:flex-1">
          <span className="text-xs text-muted">Show</span>
          <select name="view" defaultValue={current} className="h-9 w-full rounded-md border border-border bg-surface px-2 md:w-auto md:min-w-72">
            <option value="fleet:">The whole fleet</option>
            <optgroup label="Provider">
              {PROVIDERS.map((p) => (
                <option key={p} value={`provider:${p}`}>
                  {providerLabel(p)}
                </option>
              ))}
            </optgroup>
            <optgroup label="Connection">
              {targets.connections.map((c) => (
                <option key={c.id} value={`connection:${c.id}`}>
                  {c.name}
                </option>
              ))}
            </optgroup>
            <optgroup label="Pipeline">
              {targets.pipelines.map((k) => (
                <option key={k} value={`pipeline:${k}`}>
                  {k}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <button type="submit" className={buttonClass("secondary", "h-9")}>
          Show
        </button>
      </form>

      <LatencySection title={`Latency: ${label}`} description={`p50, p90, p99 and max; the dashed line is the SLO (${view.sloMs / 1000} s, TETHER_LATENCY_SLO_SECONDS).`} range={q.range} rangeHref={link} view={view} fileName={`tether-latency-${q.by}-${q.range}.csv`} />

      <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-2">
        {view.breakdown ? (
          <Card aria-labelledby="by-provider">
            <CardHeader id="by-provider" title={`By provider, last ${q.range}`} />
            <DataTable testId="provider-breakdown" dense columns={["Provider", { label: "p50", align: "right" }, { label: "p90", align: "right" }, { label: "p99", align: "right" }, { label: "Samples", align: "right" }]}>
              <tbody className="divide-y divide-border">
                {view.breakdown.rows.length === 0 ? (
                  <tr>
                    <td colSpan={5} className="px-3 py-4 text-center text-muted">
                      No samples
                    </td>
                  </tr>
                ) : (
                  view.breakdown.rows.map((r) => (
                    <tr key={r.value}>
                      <td className="px-3 py-2">{providerLabel(r.value)}</td>
                      <td className="px-3 py-2 text-right tabular-nums whitespace-nowrap">{ms(r.p50)}</td>
                      <td className="px-3 py-2 text-right tabular-nums whitespace-nowrap">{ms(r.p90)}</td>
                      <td className="px-3 py-2 text-right tabular-nums whitespace-nowrap">{ms(r.p99)}</td>
                      <td className="px-3 py-2 text-right tabular-nums whitespace-nowrap">{r.samples}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </DataTable>
          </Card>
        ) : null}
        <Card aria-labelledby="pipeline-of-samples">
          <CardHeader
            id="pipeline-of-samples"
            title="What this Tether recorded (7 days)"
            description="From Tether's own database: the pushes it joined with pipeline starts, what it dropped or could not join, and the values it published. The charts read CloudWatch, which also holds what was published before this database existed or by another Tether publishing there (the demo's CloudWatch starts with a week of history), so the two can differ."
          />
          <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1.5 px-4 py-4 text-sm" data-testid="latency-health">
            <dt className="text-muted">Samples (push joined with a start)</dt>
            <dd className="tabular-nums">{health.samples}</dd>
            <dt className="text-muted">Dropped: negative (clock skew)</dt>
            <dd className="tabular-nums">{health.negative}</dd>
            <dt className="text-muted">Webhook starts with no push received</dt>
            <dd className="tabular-nums">{health.noPush}</dd>
            <dt className="text-muted" title="The values of pushes and samples; the per-minute Heartbeat is not counted">Metric values waiting / published / dropped</dt>
            <dd className="tabular-nums">
              {health.outbox.pending} / {health.outbox.published} / {health.outbox.dropped}
            </dd>
            {health.dropped.map((d) => (
              <div key={d.reason} className="contents text-xs">
                <dt className="pl-3 text-muted">{d.reason}</dt>
                <dd className="tabular-nums">{d.count}</dd>
              </div>
            ))}
          </dl>
        </Card>
      </div>

      <Card className="mt-6" aria-labelledby="missed">
        <CardHeader id="missed" title="Missed triggers (7 days)" description="Pushes the trigger simulator says would start a pipeline, with no webhook-triggered execution for that commit or a later one within TETHER_MISSED_TRIGGER_MINUTES." />
        <MissedTable rows={missed} now={now} />
      </Card>
    </>
  );
}
