import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { pageSegment } from "@/lib/security/path";
import { TagsTable } from "@/components/connections/tags-table";
import { LatencySection } from "@/components/charts/latency-section";
import { MissedTable } from "@/components/charts/missed-table";
import { PipelineCell } from "@/components/pipelines/pipeline-cell";
import { Simulator } from "@/components/pipelines/simulator";
import { VerdictBadge } from "@/components/pipelines/verdict-badge";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { CARD_CELL, CARD_GRID, DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { Timeline } from "@/components/connections/timeline";
import { ResumeButton } from "@/components/pending/resume-button";
import { WatchStatus } from "@/components/pending/watch-status";
import { Freshness } from "@/components/layout/freshness";
import { PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { DefinitionList } from "@/components/ui/definition-list";
import { ExternalLink } from "@/components/ui/external-link";
import { StatusBadge } from "@/components/ui/status-badge";
import { Time } from "@/components/ui/time";
import { guardPage } from "@/lib/data/guards";
import { getConnectionDetail, isRefresh } from "@/lib/data/inventory";
import { getLatencyView, getMissedTriggers, parseLatencyQuery } from "@/lib/data/latency";
import { getConnectionPipelines } from "@/lib/data/pipelines";
import { prefixLabel, providerLabel, utcTime } from "@/lib/labels";
import { refreshHref } from "@/lib/query";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Connection" };

export default async function ConnectionPage(props: PageProps<"/connections/[id]">) {
  const [{ id }, params] = await Promise.all([props.params, props.searchParams]);
  await guardPage("viewer", `/connections/${id}`);
  // Page segments arrive still encoded; the data layer decodes the id once. One that still holds
  // a "%" after that decode names nothing (lib/security/path.ts).
  if (pageSegment(id) === null) notFound();
  // Resolved before anything streams, so an unknown id is a real HTTP 404.
  const found = await getConnectionDetail(id, { refresh: isRefresh(params) });
  if (found.kind === "redirect") redirect(`/connections/${found.id}`);
  if (found.kind === "not_found") notFound();
  const { connection: c, host, tags, tagsError, consoleUrl, consoleListUrl, account, deletedAt, timeline, watch, canAct, deletable } = found.value;
  const latencyQuery = parseLatencyQuery({ range: params.lrange });
  const [usage, latency, missed] = await Promise.all([
    getConnectionPipelines({ account: c.account, id: c.id }, params, { refresh: isRefresh(params) }),
    // No pipeline uses it (as far as the map knows): no chart, so no GetMetricData either.
    c.pipelines === 0 ? null : getLatencyView({ range: latencyQuery.range, by: "connection", value: c.id }),
    c.pipelines === 0 ? [] : getMissedTriggers({ connectionId: c.id }),
  ]);
  const path = `/connections/${c.id}`;
  const now = Date.parse(found.value.generatedAt);
  const service = prefixLabel(c.prefix);

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm wrap-anywhere text-muted">
        <Link href="/connections" className="hover:underline">
          Connections
        </Link>{" "}
        / <span className="text-fg">{c.name}</span>
      </nav>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            {c.name} {deletedAt ? <StatusBadge status="DELETED" /> : <WatchStatus kind="connection" id={c.id} status={c.status} watch={watch} />}
          </span>
        }
        description={`${providerLabel(c.provider)} connection in ${c.account}/${c.region}`}
        actions={
          <>
            {canAct && !deletedAt && (c.status === "PENDING" || c.status === "ERROR") && watch?.state !== "watching" ? <ResumeButton kind="connection" id={c.id} name={c.name} label="Resume" /> : null}
            {consoleUrl ? (
              <ExternalLink href={consoleUrl} variant={canAct && c.status !== "AVAILABLE" ? "secondary" : "primary"} data-testid="console-link">
                Open in AWS console
              </ExternalLink>
            ) : null}
            <ExternalLink href={consoleListUrl} variant="ghost" data-testid="console-list-link">
              Connections list in console
            </ExternalLink>
            {canAct && deletable.allowed ? (
              <ConfirmAction
                label="Delete"
                title={`Delete ${c.name}?`}
                body={`It has been PENDING since ${c.statusSince ? utcTime(c.statusSince) : "?"} and no pipeline uses it. DeleteConnection cannot be undone; the deletion is audited.`}
                confirmLabel="Delete connection"
                method="DELETE"
                url={`/api/connections/${c.id}`}
                variant="danger"
                done="Deleted"
              />
            ) : null}
          </>
        }
      />
      {deletedAt ? (
        <Alert tone="info" className="mb-4" title="This connection was deleted">
          A complete listing of account {c.account}&apos;s connections no longer had it on {utcTime(deletedAt)}. Tether keeps its history; pipelines that still name it cannot start.
        </Alert>
      ) : null}
      {account.error ? (
        <Alert tone="error" className="mb-4" title={`The connections of ${account.account} could not be listed just now`}>
          {account.error}. What is shown is its last complete listing{account.asOf ? <> (<Time iso={account.asOf} now={now} />)</> : null}.
        </Alert>
      ) : null}
      {deletedAt ? null : c.status === "PENDING" ? (
        <Alert tone="warning" className="mb-4" title="Waiting for the handshake">
          A connection created by the CLI, an SDK or infrastructure as code stays PENDING until someone completes it in the AWS console (&ldquo;Update pending connection&rdquo;).
        </Alert>
      ) : c.status === "ERROR" ? (
        <Alert tone="error" className="mb-4" title="This connection is in ERROR">
          AWS retries ERROR connections on its own; pipelines cannot use it until it is AVAILABLE again. Check the app installation at the provider.
        </Alert>
      ) : null}

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2" aria-labelledby="details">
          <CardHeader id="details" title="Details" actions={<Freshness generatedAt={account.checkedAt} refreshHref={refreshHref(`/connections/${c.id}`, params)} now={now} />} />
          <DefinitionList
            items={[
              { term: "Name", value: c.name },
              {
                term: "Status",
                value: (
                  <span>
                    <StatusBadge status={c.status} />{" "}
                    <span className="text-xs text-muted" data-testid="status-since">
                      {c.unknownSince ? <>unknown since {utcTime(c.unknownSince)}</> : c.statusSince ? <>since {utcTime(c.statusSince)}</> : null}
                    </span>
                  </span>
                ),
              },
              { term: "Provider", value: providerLabel(c.provider) },
              { term: "ARN", value: <code className="font-mono text-xs">{c.arn}</code>, testId: "arn" },
              { term: "Connection id", value: <code className="font-mono text-xs">{c.id}</code> },
              { term: "Account", value: c.account },
              {
                term: "Home Region",
                value: (
                  <span>
                    {c.region}
                    {c.homeRegionWatched ? null : (
                      <span className="ml-2 rounded bg-pending-bg px-1.5 py-0.5 text-xs text-pending" data-testid="home-region-not-watched" title="No configured scope lists this Region's hosts and pipelines. The console link and every change (delete, tags) still go to this Region.">
                        home Region not watched
                      </span>
                    )}
                    <span className="block text-xs text-muted">
                      Created here; usable from every Region of the account. Listed through {account.answeredBy ?? "—"}.
                    </span>
                  </span>
                ),
                testId: "home-region",
              },
              {
                term: "ARN prefix",
                value: (
                  <span>
                    {c.prefix} (<code className="font-mono text-xs">{service}</code>): IAM policies must name this ARN with the <code className="font-mono text-xs">{service}:</code> action prefix (for example{" "}
                    <code className="font-mono text-xs">{service}:UseConnection</code>).
                  </span>
                ),
                testId: "prefix",
              },
              { term: "Owner account", value: c.ownerAccountId ?? "—" },
              {
                term: "Host",
                value: host ? (
                  <Link className="hover:underline" href={`/hosts/${host.id}`}>
                    {host.name} <StatusBadge status={host.status} className="ml-1" />
                  </Link>
                ) : c.hostArn ? (
                  <code className="font-mono text-xs">{c.hostArn}</code>
                ) : (
                  "—"
                ),
              },
            ]}
          />
        </Card>
        <div className="space-y-6">
          <Card aria-labelledby="tags">
            <CardHeader id="tags" title="Tags" />
            <TagsTable tags={tags} error={tagsError} />
          </Card>
          {canAct && !deletedAt && c.status === "PENDING" && !deletable.allowed ? (
            <p className="text-xs text-muted" data-testid="delete-explanation">
              Not deletable from Tether: {deletable.reason}.
            </p>
          ) : null}
          <Card aria-labelledby="history">
            <CardHeader id="history" title="Status history" description="Recorded by Tether; AWS keeps no timestamps for connections." />
            <Timeline entries={timeline} />
          </Card>
        </div>
      </div>

      <Card className="mt-6" aria-labelledby="pipelines">
        <CardHeader
          id="pipelines"
          title={`Pipelines using this connection (${usage.rows.length})`}
          description={c.pipelines === null ? "This scope's pipelines have not been mapped yet." : "Source actions that name this connection, under either ARN prefix: the blast radius of deleting or rotating it."}
        />
        {usage.rows.length === 0 ? (
          <EmptyState title="No pipeline uses it" />
        ) : (
          <DataTable testId="connection-pipelines" cards columns={["Pipeline", "Source action", "Verdict"]}>
            <tbody className="divide-y divide-border">
              {usage.rows.map((r) => (
                <tr key={r.key} data-pipeline={r.name} className={cn("align-top", CARD_GRID)}>
                  <PipelineCell p={r} className={CARD_CELL} />
                  <td className={cn("px-3 py-2 text-xs max-md:col-span-2", CARD_CELL)}>
                    {r.actions.map((a) => (
                      <span key={a.name} className="block">
                        {a.name}: {a.repository}@{a.branch}
                        <span className="block text-muted">{a.diagnosis.explanation}</span>
                      </span>
                    ))}
                  </td>
                  {/* On a phone: the badge beside the pipeline's name, the reason under the source actions. */}
                  <td className="max-w-xs px-3 py-2 max-md:contents">
                    <VerdictBadge verdict={r.health.verdict} className="max-md:col-start-2 max-md:row-start-1 max-md:justify-self-end" />
                    <span className="mt-1 block text-xs text-muted max-md:col-span-2 max-md:mt-0">{r.health.reason}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </Card>

      {usage.rows.length > 0 && latency ? (
        <div className="mt-6 space-y-6">
          <LatencySection
            title="Push-to-start latency"
            description="Samples of every pipeline that uses this connection."
            range={latencyQuery.range}
            rangeHref={(r) => `${path}?lrange=${r}#latency`}
            view={latency}
            fileName={`tether-latency-${c.name}-${latencyQuery.range}.csv`}
          />
          <Card aria-labelledby="missed">
            <CardHeader id="missed" title="Missed triggers (7 days)" />
            <MissedTable rows={missed} now={now} />
          </Card>
        </div>
      ) : null}

      {usage.rows.length > 0 ? (
        <Card className="mt-6" id="simulator" aria-labelledby="sim">
          <CardHeader id="sim" title="Trigger simulator" description="Which of these pipelines would a push start, and why not the others?" />
          <Simulator
            action={path}
            defaults={{ repo: usage.rows[0]?.actions[0]?.repository ?? "", branch: usage.rows[0]?.actions[0]?.branch ?? "" }}
            form={usage.simulation?.input.form ?? null}
            problems={usage.simulationProblems}
            rows={usage.simulation?.rows ?? null}
          />
        </Card>
      ) : null}
    </>
  );
}
