import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { pageSegment } from "@/lib/security/path";
import { ConnectionsTable } from "@/components/connections/connections-table";
import { TagsTable } from "@/components/connections/tags-table";
import { Freshness } from "@/components/layout/freshness";
import { PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { DefinitionList } from "@/components/ui/definition-list";
import { ExternalLink } from "@/components/ui/external-link";
import { StatusBadge } from "@/components/ui/status-badge";
import { DEFAULT_QUERY } from "@/lib/connections-query";
import { guardPage } from "@/lib/data/guards";
import { getHostDetail, isRefresh } from "@/lib/data/inventory";
import { prefixLabel, providerLabel } from "@/lib/labels";
import { paginate } from "@/lib/query";

export const metadata: Metadata = { title: "Host" };

export default async function HostPage(props: PageProps<"/hosts/[id]">) {
  const [{ id }, params] = await Promise.all([props.params, props.searchParams]);
  await guardPage("viewer", `/hosts/${id}`);
  // Page segments arrive still encoded; the data layer decodes the id once. One that still holds
  // a "%" after that decode names nothing (lib/security/path.ts).
  if (pageSegment(id) === null) notFound();
  const found = await getHostDetail(id, { refresh: isRefresh(params) });
  if (found.kind === "redirect") redirect(`/hosts/${found.id}`);
  if (found.kind === "not_found") notFound();
  const { host: h, connections, tags, tagsError, consoleUrl, consoleListUrl, scope } = found.value;
  const now = Date.parse(found.value.generatedAt);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm wrap-anywhere text-muted">
        <Link href="/hosts" className="hover:underline">
          Hosts
        </Link>{" "}
        / <span className="text-fg">{h.name}</span>
      </nav>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            {h.name} <StatusBadge status={h.status} />
          </span>
        }
        description={`${providerLabel(h.provider)} host in ${h.account}/${h.region}`}
        actions={
          <>
            {consoleUrl ? (
              <ExternalLink href={consoleUrl} variant="primary" data-testid="console-link">
                Open in AWS console
              </ExternalLink>
            ) : null}
            <ExternalLink href={consoleListUrl} variant="ghost">
              Hosts list in console
            </ExternalLink>
          </>
        }
      />
      {h.status === "PENDING" ? (
        <Alert tone="warning" className="mb-4" title="This host is not set up yet">
          A host created by the CLI or an SDK stays PENDING until an admin of {h.endpoint || "the provider"} completes &ldquo;Set up host&rdquo; in the AWS console. Its connections cannot become AVAILABLE before that.
        </Alert>
      ) : null}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2" aria-labelledby="details">
          <CardHeader id="details" title="Details" actions={<Freshness generatedAt={scope.checkedAt} refreshHref={`/hosts/${h.id}?refresh=1`} now={now} />} />
          <DefinitionList
            items={[
              { term: "Name", value: h.name },
              { term: "Status", value: <>{<StatusBadge status={h.status} />}{h.statusMessage ? <span className="ml-2 text-muted">{h.statusMessage}</span> : null}</> },
              { term: "Provider", value: providerLabel(h.provider) },
              { term: "Endpoint", value: <code className="font-mono text-xs">{h.endpoint}</code> },
              { term: "ARN", value: <code className="font-mono text-xs">{h.arn}</code> },
              { term: "ARN prefix", value: `${h.prefix} (${prefixLabel(h.prefix)})` },
              { term: "Account", value: h.account },
              { term: "Region", value: h.region },
              { term: "VPC", value: h.vpcId ?? "—" },
            ]}
          />
        </Card>
        <Card aria-labelledby="tags">
          <CardHeader id="tags" title="Tags" />
          <TagsTable tags={tags} error={tagsError} />
        </Card>
      </div>
      <Card className="mt-6" aria-labelledby="host-connections">
        <CardHeader id="host-connections" title={`Connections using this host (${connections.length})`} />
        <ConnectionsTable page={paginate(connections, 1, connections.length || 1)} query={DEFAULT_QUERY} now={now} sortable={false} />
      </Card>
    </>
  );
}
