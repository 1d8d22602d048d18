import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { TagsTable } from "@/components/connections/tags-table";
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
import { prefixLabel, providerLabel, utcTime } from "@/lib/labels";

export const metadata: Metadata = { title: "Connection" };

export default async function ConnectionPage(props: PageProps<"/connections/[id]">) {
  const [{ id }, params] = await Promise.all([props.params, props.searchParams]);
  await guardPage("viewer", `/connections/${id}`);
  // Resolved before anything streams, so an unknown id is a real HTTP 404.
  const found = await getConnectionDetail(id, { refresh: isRefresh(params) });
  if (found.kind === "redirect") redirect(`/connections/${found.id}`);
  if (found.kind === "not_found") notFound();
  const { connection: c, host, tags, tagsError, consoleUrl, consoleListUrl, scope, deletedAt, timeline, watch, canAct } = found.value;
  const now = Date.parse(found.value.generatedAt);
  const service = prefixLabel(c.prefix);

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted">
        <Link href="/connections" className="hover:underline">
          Connections
        </Link>{" "}
        / <span className="text-fg">{c.name}</span>
      </nav>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
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
          </>
        }
      />
      {deletedAt ? (
        <Alert tone="info" className="mb-4" title="This connection was deleted">
          A complete listing of {c.account}/{c.region} no longer had it on {utcTime(deletedAt)}. Tether keeps its history; pipelines that still name it cannot start.
        </Alert>
      ) : null}
      {scope.error ? (
        <Alert tone="error" className="mb-4" title={`Scope ${scope.key} could not be listed just now`}>
          {scope.error}. What is shown is its last complete listing{scope.asOf ? <> (<Time iso={scope.asOf} now={now} />)</> : null}.
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

      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2" aria-labelledby="details">
          <CardHeader id="details" title="Details" actions={<Freshness generatedAt={scope.checkedAt} refreshHref={`/connections/${c.id}?refresh=1`} now={now} />} />
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
              { term: "Region", value: c.region },
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
          <Card aria-labelledby="history">
            <CardHeader id="history" title="Status history" description="Recorded by Tether; AWS keeps no timestamps for connections." />
            <Timeline entries={timeline} />
          </Card>
        </div>
      </div>
    </>
  );
}
