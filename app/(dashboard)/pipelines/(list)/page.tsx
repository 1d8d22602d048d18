import type { Metadata } from "next";
import { MissedTable } from "@/components/charts/missed-table";
import { FilterBar, type FilterGroup } from "@/components/connections/filter-bar";
import { Freshness } from "@/components/layout/freshness";
import { PageHeader } from "@/components/layout/page-header";
import { ConnectionCell } from "@/components/pipelines/connection-cell";
import { PipelineCell } from "@/components/pipelines/pipeline-cell";
import { VerdictBadge } from "@/components/pipelines/verdict-badge";
import { ScopeErrors } from "@/components/scopes/scope-errors";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { CARD_CELL, CARD_GRID, DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ExternalLink } from "@/components/ui/external-link";
import { Pager } from "@/components/ui/pager";
import { Time } from "@/components/ui/time";
import { guardPage } from "@/lib/data/guards";
import { isRefresh } from "@/lib/data/inventory";
import { getMissedTriggers } from "@/lib/data/latency";
import { getPipelinesView } from "@/lib/data/pipelines";
import { VERDICT_ORDER } from "@/lib/pipelines/health";
import { refreshHref } from "@/lib/query";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Pipelines" };

export default async function PipelinesPage(props: PageProps<"/pipelines">) {
  await guardPage("viewer", "/pipelines");
  const params = await props.searchParams;
  const [view, missed] = await Promise.all([getPipelinesView(params, { refresh: isRefresh(params) }), getMissedTriggers({}, 1)]);
  const now = Date.parse(view.generatedAt);
  const pageQuery = (n: number) => {
    const q = new URLSearchParams();
    for (const v of view.query.verdict) q.append("verdict", v);
    for (const v of view.query.account) q.append("account", v);
    for (const v of view.query.region) q.append("region", v);
    if (view.query.q) q.set("q", view.query.q);
    q.set("page", String(n));
    return q.toString();
  };
  const groups: FilterGroup[] = [
    { key: "verdict", label: "Verdict", options: VERDICT_ORDER.map((v) => ({ value: v, label: `${v} (${view.counts[v]})` })) },
    { key: "account", label: "Account", options: view.accounts.map((a) => ({ value: a, label: a })) },
    { key: "region", label: "Region", options: view.regions.map((r) => ({ value: r, label: r })) },
  ];
  return (
    <>
      <PageHeader
        title="Pipelines"
        description="Are pushes still starting pipelines? Worst first. Verdicts follow documented rules (docs/pipelines.md) over the last 24 hours and 7 days of executions."
        actions={<Freshness generatedAt={view.generatedAt} refreshHref={refreshHref("/pipelines", params)} now={now} />}
      />
      <ScopeErrors health={view.health} now={now} />
      {view.mapErrors.length ? (
        <Alert tone="error" className="mb-4" title="Some scopes' pipelines could not be listed">
          {view.mapErrors.map((m) => `${m.key}: ${m.error}`).join("; ")}
        </Alert>
      ) : null}
      {view.problems.length ? (
        <Alert tone="warning" className="mb-4" title="Ignored:">
          {view.problems.join("; ")}
        </Alert>
      ) : null}
      {missed.some((m) => m.state === "missed") ? (
        <Card className="mb-4" aria-labelledby="missed">
          <CardHeader id="missed" title={`Missed triggers in the last 24 h (${missed.filter((m) => m.state === "missed").length})`} description="A push that should have started a pipeline, and did not." />
          <MissedTable rows={missed.filter((m) => m.state === "missed")} now={now} />
        </Card>
      ) : null}
      <div className="mb-3">
        <FilterBar action="/pipelines" groups={groups} searchLabel="Search pipeline, repository or connection" initial={{ q: view.query.q, selected: { verdict: view.query.verdict, account: view.query.account, region: view.query.region }, keep: {} }} />
      </div>
      <Card>
        <p className="border-b border-border px-4 py-2 text-xs text-muted" data-testid="pipelines-count">
          {view.page.total === view.total ? `${view.total} pipelines` : `${view.page.total} of ${view.total} pipelines match`} · {VERDICT_ORDER.map((v) => `${view.counts[v]} ${v}`).join(" · ")}
        </p>
        {view.page.total === 0 ? (
          <EmptyState title={view.total === 0 ? "No pipelines yet" : "No pipelines match"}>{view.total === 0 ? "Pipelines with CodeStarSourceConnection source actions appear here once their scopes are mapped." : null}</EmptyState>
        ) : (
          <DataTable testId="pipelines-table" cards columns={["Pipeline", "Connection", "Last execution", "Last push start", { label: "24 h", align: "right", title: "push / manual / other, last 24 h" }, "Verdict"]}>
            <tbody className="divide-y divide-border">
              {view.page.rows.map((r) => {
                const last = r.health.lastExecution;
                return (
                  <tr key={r.key} data-pipeline={r.key} className={cn("align-top", CARD_GRID)}>
                    <PipelineCell p={r} className={CARD_CELL} />
                    <td className="px-3 py-2 max-md:hidden">
                      {r.sources.length === 0 ? (
                        <span className="text-xs text-muted">no connection source</span>
                      ) : (
                        r.sources.map((s) => (
                          <span key={s.name} className="block">
                            <ConnectionCell c={s.connection} />
                            <span className="block text-xs text-muted">
                              {s.repository}@{s.branch}
                            </span>
                          </span>
                        ))
                      )}
                    </td>
                    <td className="px-3 py-2 text-xs whitespace-nowrap max-md:hidden">
                      {last?.startTime ? (
                        <>
                          {r.lastExecutionUrl ? <ExternalLink href={r.lastExecutionUrl} variant="ghost" className="px-0 py-0 text-xs">{last.triggerType ?? "?"}</ExternalLink> : (last.triggerType ?? "?")}
                          <span className="block text-muted">
                            <Time iso={last.startTime} now={now} />
                          </span>
                        </>
                      ) : (
                        <span className="text-muted">—</span>
                      )}
                    </td>
                    <td className="px-3 py-2 text-xs whitespace-nowrap max-md:hidden">{r.health.lastPushStart ? <Time iso={r.health.lastPushStart} now={now} /> : <span className="text-muted">none in 7 d</span>}</td>
                    <td className="px-3 py-2 text-right text-xs tabular-nums whitespace-nowrap max-md:hidden" title="push / manual / other">
                      {r.health.last24h.push} / {r.health.last24h.manual} / {r.health.last24h.other}
                    </td>
                    {/* On a phone the cell dissolves into the card: the badge beside the name, the reason under both. */}
                    <td className="max-w-sm px-3 py-2 max-md:contents">
                      <VerdictBadge verdict={r.health.verdict} className="max-md:col-start-2 max-md:row-start-1 max-md:justify-self-end" />
                      <span className="mt-1 block text-xs text-muted max-md:col-span-2 max-md:mt-0" data-testid="verdict-reason">
                        {r.health.reason}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </DataTable>
        )}
        <Pager page={view.page} hrefFor={(n) => `/pipelines?${pageQuery(n)}`} />
      </Card>
    </>
  );
}
