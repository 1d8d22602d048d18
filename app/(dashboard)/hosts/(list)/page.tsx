import type { Metadata } from "next";
import Link from "next/link";
import { Freshness } from "@/components/layout/freshness";
import { PageHeader } from "@/components/layout/page-header";
import { ScopeErrors } from "@/components/scopes/scope-errors";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { guardPage } from "@/lib/data/guards";
import { getHostsView, isRefresh } from "@/lib/data/inventory";
import { providerLabel } from "@/lib/labels";

export const metadata: Metadata = { title: "Hosts" };

export default async function HostsPage(props: PageProps<"/hosts">) {
  await guardPage("viewer", "/hosts");
  const view = await getHostsView({ refresh: isRefresh(await props.searchParams) });
  const now = Date.parse(view.generatedAt);
  return (
    <>
      <PageHeader
        title="Hosts"
        description="GitHub Enterprise Server and GitLab self-managed connections go through a host, which has its own set-up in the console."
        actions={<Freshness generatedAt={view.generatedAt} refreshHref="/hosts?refresh=1" now={now} />}
      />
      <ScopeErrors health={view.health} now={now} />
      <Card>
        {view.hosts.length === 0 ? (
          <EmptyState title="No hosts">Hosts appear here once a self-managed provider is set up in one of the scopes.</EmptyState>
        ) : (
          <DataTable testId="hosts-table" columns={["Name", "Provider", "Endpoint", "Status", "Account", "Region", { label: "Connections", align: "right" }]}>
            <tbody className="divide-y divide-border">
              {view.hosts.map((h) => (
                <tr key={h.arn} className="hover:bg-surface-2" data-host-id={h.id}>
                  <td className="px-3 py-2">
                    <Link href={`/hosts/${h.id}`} className="font-medium hover:underline">
                      {h.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{providerLabel(h.provider)}</td>
                  <td className="px-3 py-2 font-mono text-xs">{h.endpoint}</td>
                  <td className="px-3 py-2">
                    <StatusBadge status={h.status} />
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{h.account}</td>
                  <td className="px-3 py-2">{h.region}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{h.connections}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </Card>
    </>
  );
}
