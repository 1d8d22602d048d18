import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { pageSegment } from "@/lib/security/path";
import { Freshness } from "@/components/layout/freshness";
import { PageHeader } from "@/components/layout/page-header";
import { ConnectionCell } from "@/components/pipelines/connection-cell";
import { LatencySection } from "@/components/charts/latency-section";
import { MissedTable } from "@/components/charts/missed-table";
import { Simulator } from "@/components/pipelines/simulator";
import { VerdictBadge } from "@/components/pipelines/verdict-badge";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ExternalLink } from "@/components/ui/external-link";
import { Time } from "@/components/ui/time";
import { guardPage } from "@/lib/data/guards";
import { isRefresh } from "@/lib/data/inventory";
import { getLastPush, getLatencyView, getMissedTriggers, parseLatencyQuery } from "@/lib/data/latency";
import { getPipelineDetail } from "@/lib/data/pipelines";
import { DECISION_TABLE, triggerFor } from "@/lib/pipelines/triggers";
import { refreshHref } from "@/lib/query";

export const metadata: Metadata = { title: "Pipeline" };

const crit = (c?: { includes?: string[]; excludes?: string[] }) => [c?.includes?.length ? `include ${c.includes.join(", ")}` : null, c?.excludes?.length ? `exclude ${c.excludes.join(", ")}` : null].filter(Boolean).join("; ");

export default async function PipelinePage(props: PageProps<"/pipelines/[account]/[region]/[name]">) {
  const [raw, params] = await Promise.all([props.params, props.searchParams]);
  // Page segments arrive still encoded: decoded here, once; a "%" left names no pipeline (lib/security/path.ts).
  const [account, region, name] = [pageSegment(raw.account), pageSegment(raw.region), pageSegment(raw.name)];
  await guardPage("viewer", `/pipelines/${raw.account}/${raw.region}/${raw.name}`);
  if (account === null || region === null || name === null) notFound();
  const path = `/pipelines/${account}/${region}/${encodeURIComponent(name)}`;
  const d = await getPipelineDetail(account, region, name, params, { refresh: isRefresh(params) });
  if (!d) notFound();
  const { row, stored } = d;
  const now = Date.parse(d.generatedAt);
  const latencyQuery = parseLatencyQuery({ range: params.lrange });
  const source = row.sources[0];
  const [latency, missed, lastPush] = await Promise.all([
    getLatencyView({ range: latencyQuery.range, by: "pipeline", value: row.key }),
    getMissedTriggers({ account, region, pipeline: name }),
    source ? getLastPush(source.repository, source.branch) : Promise.resolve(null),
  ]);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm wrap-anywhere text-muted">
        <Link href="/pipelines" className="hover:underline">
          Pipelines
        </Link>{" "}
        / <span className="text-fg">{name}</span>
      </nav>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            {name} <VerdictBadge verdict={row.health.verdict} />
          </span>
        }
        description={`${row.pipelineType} pipeline in ${account}/${region}, declaration version ${stored.version}`}
        actions={
          <>
            {d.canRelease ? (
              <ConfirmAction
                label="Release change"
                title={`Start ${name} now?`}
                body={`Tether calls StartPipelineExecution for ${name} in ${account}/${region}, with the latest commit of its source branch. The action is recorded in the audit log.`}
                confirmLabel="Release change"
                method="POST"
                url={`/api/pipelines/${account}/${region}/${encodeURIComponent(name)}/release`}
                variant="primary"
                done="Started"
              />
            ) : null}
            {row.consoleUrl ? <ExternalLink href={row.consoleUrl}>Open in AWS console</ExternalLink> : null}
          </>
        }
      />
      <Alert tone={row.health.verdict === "broken" ? "error" : row.health.verdict === "degraded" ? "warning" : "info"} className="mb-6" title={`Verdict: ${row.health.verdict}`} data-testid="verdict">
        {row.health.reason}
      </Alert>

      <Card className="mb-6" aria-labelledby="why">
        <CardHeader id="why" title="Why didn't my push start it?" description="Each source action against the decision table, first matching row." actions={<Freshness generatedAt={d.generatedAt} refreshHref={refreshHref(path, params)} now={now} />} />
        {row.sources.length === 0 ? (
          <EmptyState title="No CodeStarSourceConnection source action">This pipeline does not start from a connection.</EmptyState>
        ) : (
          <ul className="divide-y divide-border">
            {row.sources.map((s) => {
              const trigger = triggerFor(stored.definition, s);
              return (
                <li key={s.name} className="grid gap-4 px-4 py-4 text-sm md:grid-cols-2 [&>*]:min-w-0" data-source-action={s.name}>
                  <dl className="grid grid-cols-[7rem_minmax(0,1fr)] gap-x-3 gap-y-1.5 sm:grid-cols-[9rem_minmax(0,1fr)] [&>dd]:wrap-anywhere">
                    <dt className="text-muted">Source action</dt>
                    <dd>
                      {s.stage} / {s.name}
                    </dd>
                    <dt className="text-muted">Connection</dt>
                    <dd>
                      <ConnectionCell c={s.connection} />
                      <code className="block font-mono text-xs break-all text-muted">{s.connectionArn}</code>
                    </dd>
                    <dt className="text-muted">Repository</dt>
                    <dd>{s.repository}</dd>
                    <dt className="text-muted">Branch</dt>
                    <dd>{s.branch}</dd>
                    <dt className="text-muted">DetectChanges</dt>
                    <dd>{s.detectChanges ? "true" : "false"}{trigger ? " (ignored: a trigger is set)" : ""}</dd>
                    <dt className="text-muted">Trigger</dt>
                    <dd className="text-xs">
                      {trigger ? (
                        <>
                          {trigger.push.map((f, i) => (
                            <span key={`p${i}`} className="block">
                              push: {f.tags ? `tags ${crit(f.tags)}` : `branches ${crit(f.branches) || "any"}${f.filePaths ? `; file paths ${crit(f.filePaths)}` : ""}`}
                            </span>
                          ))}
                          {trigger.pullRequest.map((f, i) => (
                            <span key={`r${i}`} className="block">
                              pull request{f.events ? ` (${f.events.join(", ")})` : ""}: branches {crit(f.branches) || "any"}
                            </span>
                          ))}
                        </>
                      ) : (
                        "none (default change detection)"
                      )}
                    </dd>
                  </dl>
                  <div data-testid="diagnosis" data-rule={s.diagnosis.rule}>
                    <p className="font-medium">
                      {s.diagnosis.verdict === "ok" ? "✓ " : s.diagnosis.verdict === "broken" ? "✗ " : "! "}
                      {s.diagnosis.explanation}
                    </p>
                    {s.diagnosis.fix ? <p className="mt-2 text-muted">Fix: {s.diagnosis.fix}</p> : null}
                    <p className="mt-2 text-xs text-muted">Rule: {DECISION_TABLE.find((r) => r.rule === s.diagnosis.rule)?.when}</p>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </Card>

      <div className="mb-6 space-y-6">
        <LatencySection
          title="Push-to-start latency"
          description={`This pipeline's samples${lastPush ? `; last push received: ${lastPush.sha.slice(0, 10)} to ${lastPush.branch}` : ""}.`}
          range={latencyQuery.range}
          rangeHref={(r) => `${path}?lrange=${r}#latency`}
          view={latency}
          fileName={`tether-latency-${name}-${latencyQuery.range}.csv`}
        />
        <p className="text-sm text-muted" data-testid="last-push">
          {lastPush ? (
            <>
              Last push Tether received for {lastPush.repository}@{lastPush.branch}: <span className="font-mono text-fg">{lastPush.sha.slice(0, 10)}</span>, <Time iso={lastPush.pushedAt} now={now} /> (delivery {lastPush.deliveryId.slice(0, 8)}, {lastPush.provider}).
            </>
          ) : (
            <>No push webhook received for {source ? `${source.repository}@${source.branch}` : "its source"} yet (see deploy/README.md to wire one).</>
          )}
        </p>
        <Card aria-labelledby="missed">
          <CardHeader id="missed" title="Missed triggers (7 days)" />
          <MissedTable rows={missed} now={now} showPipeline={false} />
        </Card>
      </div>

      <Card className="mb-6" id="simulator" aria-labelledby="sim">
        <CardHeader id="sim" title="Trigger simulator" description="Given a push, does this pipeline start, and why not? Glob filters as AWS documents them." />
        <Simulator
          action={path}
          defaults={{ repo: row.sources[0]?.repository ?? "", branch: row.sources[0]?.branch ?? "" }}
          form={d.simulation?.input.form ?? null}
          problems={d.simulationProblems}
          rows={d.simulation?.rows ?? null}
        />
      </Card>

      <Card aria-labelledby="executions">
        <CardHeader id="executions" title="Recent executions" description="From Tether's store, filled by the background sweep (newest first)." />
        {d.executions.length === 0 ? (
          <EmptyState title="No executions recorded yet" />
        ) : (
          <DataTable testId="executions-table" columns={["Started", "Status", "Trigger", "Commit", "Execution"]}>
            <tbody className="divide-y divide-border">
              {d.executions.map((e) => (
                <tr key={e.executionId}>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">{e.startTime ? <Time iso={e.startTime} now={now} /> : "—"}</td>
                  <td className="px-3 py-2 text-xs">{e.status}</td>
                  <td className="px-3 py-2 text-xs">
                    {e.triggerType}
                    {e.triggerDetail ? <span className="block max-w-xs truncate text-muted" title={e.triggerDetail}>{e.triggerDetail}</span> : null}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{e.revisionId?.slice(0, 10) ?? "—"}</td>
                  <td className="px-3 py-2 text-xs">
                    {e.consoleUrl ? (
                      <ExternalLink href={e.consoleUrl} variant="ghost" className="px-0 py-0 text-xs">
                        {e.executionId.slice(0, 8)}
                      </ExternalLink>
                    ) : (
                      e.executionId.slice(0, 8)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </Card>
    </>
  );
}
