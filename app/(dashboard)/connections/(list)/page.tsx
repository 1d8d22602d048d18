import type { Metadata } from "next";
import { ConnectionsPager, ConnectionsTable } from "@/components/connections/connections-table";
import { FilterBar, type FilterGroup } from "@/components/connections/filter-bar";
import { Freshness } from "@/components/layout/freshness";
import { PageHeader } from "@/components/layout/page-header";
import { ScopeErrors } from "@/components/scopes/scope-errors";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { queryString } from "@/lib/connections-query";
import { guardPage } from "@/lib/data/guards";
import { getConnectionsView, isRefresh } from "@/lib/data/inventory";
import { prefixLabel, providerLabel } from "@/lib/labels";
import { CONNECTION_STATUSES, PROVIDERS } from "@/lib/types";

export const metadata: Metadata = { title: "Connections" };

export default async function ConnectionsPage(props: PageProps<"/connections">) {
  await guardPage("viewer", "/connections");
  const params = await props.searchParams;
  const view = await getConnectionsView(params, { refresh: isRefresh(params) });
  const { query, page } = view;
  const now = Date.parse(view.generatedAt);

  const groups: FilterGroup[] = [
    { key: "status", label: "Status", options: CONNECTION_STATUSES.map((s) => ({ value: s, label: s })) },
    { key: "provider", label: "Provider", options: PROVIDERS.map((p) => ({ value: p, label: providerLabel(p) })) },
    { key: "account", label: "Account", options: view.accounts.map((a) => ({ value: a, label: a })) },
    { key: "region", label: "Region", options: view.regions.map((r) => ({ value: r, label: r })) },
    { key: "prefix", label: "ARN prefix", options: ["legacy", "new"].map((p) => ({ value: p, label: `${p} (${prefixLabel(p)})` })) },
    { key: "usage", label: "Usage", options: [{ value: "unused", label: "Used by no pipeline" }] },
  ];
  const keep: Record<string, string> = {};
  if (query.sort !== "status") keep.sort = query.sort;
  if (query.dir !== "asc") keep.dir = query.dir;
  // The same query (without the page) drives the export and the refresh link.
  const base = queryString(query, { page: 1 });
  const withParam = (path: string, key: string, value: string) => `${path}${base ? `${base}&` : "?"}${key}=${value}`;

  return (
    <>
      <PageHeader
        title="Connections"
        description={`${view.fleetTotal} connections of ${view.health.accounts.length} accounts, every home Region; not-AVAILABLE first.`}
        actions={
          <>
            <Freshness generatedAt={view.generatedAt} refreshHref={withParam("/connections", "refresh", "1")} now={now} />
            <span className="flex gap-2">
              <a href={withParam("/api/connections", "format", "csv")} download className={buttonClass()} data-testid="export-csv">
                Export CSV
              </a>
              <a href={withParam("/api/connections", "format", "json")} className={buttonClass()} data-testid="export-json">
                JSON
              </a>
            </span>
          </>
        }
      />
      <ScopeErrors health={view.health} now={now} />
      {view.problems.length > 0 ? (
        <Alert tone="warning" className="mb-4" title="Some parts of this link were not understood and are ignored:">
          <ul className="list-disc pl-5">
            {view.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <div className="mb-3">
        <FilterBar
          action="/connections"
          groups={groups}
          searchLabel="Search name or ARN"
          initial={{ q: query.q, selected: { status: query.status, provider: query.provider, account: query.account, region: query.region, prefix: query.prefix, usage: query.usage === "unused" ? ["unused"] : [] }, keep }}
        />
      </div>
      <Card>
        <p className="border-b border-border px-4 py-2 text-xs text-muted" data-testid="result-count" aria-live="polite">
          {page.total === view.fleetTotal ? `${page.total} connections` : `${page.total} of ${view.fleetTotal} connections match`}
        </p>
        <ConnectionsTable page={page} query={query} now={now} />
        <ConnectionsPager page={page} query={query} />
      </Card>
    </>
  );
}
