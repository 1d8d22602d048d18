import Link from "next/link";
import { CARD_FLOW, CARD_META, CARD_SEP, CARD_STATUS } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { queryString, type ConnectionQuery, type SortKey } from "@/lib/connections-query";
import { age, prefixLabel, providerLabel } from "@/lib/labels";
import { Pager } from "@/components/ui/pager";
import { ScrollArea } from "@/components/ui/scroll-area";
import { cn } from "@/lib/utils";
import { SortHeader } from "./sort-header";
import type { ConnectionRow } from "@/lib/types";
import type { Page } from "@/lib/query";

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: "name", label: "Name" },
  { key: "provider", label: "Provider" },
  { key: "status", label: "Status" },
  { key: "account", label: "Account" },
  { key: "region", label: "Home Region" },
  { key: "prefix", label: "ARN prefix" },
  { key: "host", label: "Host" },
  { key: "since", label: "Since" },
  { key: "pipelines", label: "Pipelines" },
];

/*
 * Below md each row is a card (the same cells, restyled): the name and the status badge, then
 * provider · account · home Region · how long in that status. ARN prefix, host and pipelines wait
 * for the detail page.
 */
const [CARD, META, SEP] = [CARD_FLOW, CARD_META, CARD_SEP];
/** What the time means: "for 3 d" (in this status). */
const FOR = "max-md:before:mr-1 max-md:before:content-['for']";

/** The inventory table; with `sortable` (the default) its headers are links that sort the URL's view. */
export function ConnectionsTable({ page, query, now, basePath = "/connections", sortable = true }: { page: Page<ConnectionRow>; query: ConnectionQuery; now: number; basePath?: string; sortable?: boolean }) {
  const headerHref = (key: SortKey) => basePath + queryString(query, { sort: key, dir: query.sort === key && query.dir === "asc" ? "desc" : "asc", page: 1 });
  if (page.total === 0) {
    return (
      <EmptyState title="No connections match">
        <Link className="text-accent underline" href={basePath}>
          Clear the filters
        </Link>
      </EmptyState>
    );
  }
  return (
    <ScrollArea label="Connections table">
      <table className="w-full text-sm max-md:block max-md:[&>tbody]:block" data-testid="connections-table">
        <caption className="sr-only">Connections, sorted by {query.sort}</caption>
        <thead className="border-b border-border bg-surface-2 text-xs max-md:sr-only">
          <tr>
            {COLUMNS.map((c) =>
              sortable ? (
                <SortHeader key={c.key} label={c.label} active={query.sort === c.key} dir={query.dir} href={headerHref(c.key)} />
              ) : (
                <th key={c.key} scope="col" className="px-3 py-2 text-left font-medium text-muted">
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {page.rows.map((r) => (
            <tr key={`${r.account}/${r.region}/${r.id}`} className={cn("hover:bg-surface-2", CARD)} data-connection-id={r.id}>
              <td className="min-w-0 px-3 py-2 max-md:flex-1 max-md:p-0">
                <Link href={`/connections/${r.id}`} className="font-medium break-words hover:underline">
                  {r.name}
                </Link>
              </td>
              <td className={cn("px-3 py-2 whitespace-nowrap", META, SEP)}>{providerLabel(r.provider)}</td>
              <td className={cn("px-3 py-2", CARD_STATUS)}>
                <StatusBadge status={r.status} />
              </td>
              <td className={cn("px-3 py-2 font-mono text-xs", META, SEP)}>{r.account}</td>
              <td className={cn("px-3 py-2 whitespace-nowrap", META, SEP)}>
                {r.region}
                {r.homeRegionWatched ? null : (
                  <span className="block text-xs text-pending max-md:ml-1 max-md:inline" title="The Region in its ARN, where it was created; no configured scope lists this Region's hosts and pipelines." data-testid="home-region-not-watched">
                    not watched
                  </span>
                )}
              </td>
              <td className="px-3 py-2 max-md:hidden">
                <span className="rounded bg-surface-2 px-1.5 py-0.5 font-mono text-xs" title={prefixLabel(r.prefix)}>
                  {r.prefix}
                </span>
              </td>
              <td className="px-3 py-2 max-md:hidden">
                {r.hostArn ? (
                  <Link href={`/hosts/${r.hostArn.slice(r.hostArn.lastIndexOf("/") + 1)}`} className="hover:underline">
                    {r.hostName ?? r.hostArn.slice(r.hostArn.lastIndexOf("/") + 1)}
                  </Link>
                ) : (
                  <span className="text-muted">—</span>
                )}
              </td>
              <td className={cn("px-3 py-2 text-xs whitespace-nowrap text-muted", META, r.statusSince && !r.unknownSince ? FOR : null)}>
                {r.unknownSince ? (
                  <span title={`the scope's latest listing failed; last complete listing ${r.unknownSince}`}>unknown since {age(r.unknownSince, now)} ago</span>
                ) : r.statusSince ? (
                  <time dateTime={r.statusSince} title={r.statusSince}>
                    {age(r.statusSince, now)}
                  </time>
                ) : (
                  "—"
                )}
              </td>
              <td className="px-3 py-2 text-right tabular-nums max-md:hidden" data-testid="pipeline-count">
                {r.pipelines === null ? <span className="text-muted" title="this scope's pipelines have not been mapped yet">—</span> : r.pipelines === 0 ? <span className="text-muted">0</span> : r.pipelines}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  );
}

export function ConnectionsPager({ page, query, basePath = "/connections" }: { page: Page<unknown>; query: ConnectionQuery; basePath?: string }) {
  return <Pager page={page} hrefFor={(n) => basePath + queryString(query, { page: n })} />;
}
