import type { Metadata } from "next";
import Link from "next/link";
import { Freshness } from "@/components/layout/freshness";
import { PageHeader } from "@/components/layout/page-header";
import { ScopeErrors } from "@/components/scopes/scope-errors";
import { Card } from "@/components/ui/card";
import { CARD_FLOW, CARD_META, CARD_SEP, CARD_STATUS, DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { guardPage } from "@/lib/data/guards";
import { getHostsView, isRefresh } from "@/lib/data/inventory";
import { providerLabel } from "@/lib/labels";
import { cn } from "@/lib/utils";

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
          <DataTable testId="hosts-table" cards columns={["Name", "Provider", "Endpoint", "Status", "Account", "Region", { label: "Connections", align: "right" }]}>
            <tbody className="divide-y divide-border">
              {/* A phone shows each host as a card: name and status, provider · account · Region, the endpoint. */}
              {view.hosts.map((h) => (
                <tr key={h.arn} className={cn("hover:bg-surface-2", CARD_FLOW)} data-host-id={h.id}>
                  <td className="min-w-0 px-3 py-2 max-md:flex-1 max-md:p-0">
                    <Link href={`/hosts/${h.id}`} className="font-medium break-words hover:underline">
                      {h.name}
                    </Link>
                  </td>
                  <td className={cn("px-3 py-2", CARD_META, CARD_SEP)}>{providerLabel(h.provider)}</td>
                  <td className="px-3 py-2 font-mono text-xs max-md:order-3 max-md:mt-1 max-md:basis-full max-md:p-0 max-md:wrap-anywhere">{h.endpoint}</td>
                  <td className={cn("px-3 py-2", CARD_STATUS)}>
                    <StatusBadge status={h.status} />
                  </td>
                  <td className={cn("px-3 py-2 font-mono text-xs", CARD_META, CARD_SEP)}>{h.account}</td>
                  <td className={cn("px-3 py-2", CARD_META)}>{h.region}</td>
                  <td className="px-3 py-2 text-right tabular-nums max-md:hidden">{h.connections}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </Card>
    </>
  );
}
