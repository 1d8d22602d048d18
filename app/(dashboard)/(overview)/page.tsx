import type { Metadata } from "next";
import Link from "next/link";
import { Freshness } from "@/components/layout/freshness";
import { PageHeader } from "@/components/layout/page-header";
import { ScopeErrors } from "@/components/scopes/scope-errors";
import { AccountHealth, ScopeHealth } from "@/components/scopes/scope-health";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { Time } from "@/components/ui/time";
import { guardPage } from "@/lib/data/guards";
import { ListingProgress } from "@/components/layout/listing-progress";
import { getOverviewState, isRefresh } from "@/lib/data/inventory";
import { LISTINGS_SHOWN, worstListingsFirst } from "@/lib/fleet/health";
import { providerLabel } from "@/lib/labels";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Overview" };

/** "25 of 99 shown, failing first · Show all" when the list is cut; a link back when all are shown. */
function ShowAll({ shown, total, all, anchor, what }: { shown: number; total: number; all: boolean; anchor: string; what: string }) {
  if (all && total > LISTINGS_SHOWN) {
    return (
      <Link className="text-xs text-accent underline" href={`/#${anchor}`}>
        Show the first {LISTINGS_SHOWN}
      </Link>
    );
  }
  if (shown >= total) return null;
  return (
    <span className="text-xs text-muted" data-testid={`${what}-shown`}>
      {`${shown} of ${total}, failing first · `}
      <Link className="text-accent underline" href={`/?listings=all#${anchor}`}>
        Show all {total} {what}
      </Link>
    </span>
  );
}

function Stat({ label, value, href, tone, testId }: { label: string; value: number; href: string; tone?: string; testId: string }) {
  return (
    <Link href={href} className="rounded-lg border border-border bg-surface px-4 py-3 shadow-xs hover:border-accent" data-testid={testId}>
      <p className="text-xs text-muted">{label}</p>
      <p className={cn("mt-1 text-2xl font-semibold tabular-nums", tone)} data-value>
        {value}
      </p>
    </Link>
  );
}

export default async function OverviewPage(props: PageProps<"/">) {
  await guardPage("viewer", "/");
  const params = await props.searchParams;
  const refresh = isRefresh(params);
  const allListings = params.listings === "all";
  const state = await getOverviewState({ refresh });
  if (state.kind === "listing") {
    return (
      <>
        <PageHeader title="Overview" description={`Every connection of ${state.progress.accounts.total} accounts and every host in ${state.progress.scopes.total} scopes (account × Region).`} />
        <ListingProgress accounts={state.progress.accounts} scopes={state.progress.scopes} />
      </>
    );
  }
  const o = state.overview;
  const now = Date.parse(o.generatedAt);
  // Failing and stale listings first; a large fleet's healthy ones behind "Show all".
  const accounts = worstListingsFirst(o.health.accounts, allListings);
  const scopes = worstListingsFirst(o.health.scopes, allListings);
  return (
    <>
      <PageHeader title="Overview" description={`Every connection of ${o.totals.accounts} accounts and every host in ${o.totals.scopes} scopes (account × Region).`} actions={<Freshness generatedAt={o.generatedAt} refreshHref="/?refresh=1" now={now} />} />
      <ScopeErrors health={o.health} now={now} />

      <div className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Stat label="Connections" value={o.totals.connections} href="/connections" testId="total-connections" />
        <Stat label="Available" value={o.totals.byStatus.AVAILABLE ?? 0} href="/connections?status=AVAILABLE" tone="text-available" testId="total-AVAILABLE" />
        <Stat label="Pending" value={o.totals.byStatus.PENDING ?? 0} href="/connections?status=PENDING" tone="text-pending" testId="total-PENDING" />
        <Stat label="Error" value={o.totals.byStatus.ERROR ?? 0} href="/connections?status=ERROR" tone="text-error" testId="total-ERROR" />
        <Stat label="Hosts" value={o.totals.hosts} href="/hosts" testId="total-hosts" />
        <Stat label={`Listings complete (of ${o.totals.listings})`} value={o.totals.listings - o.totals.listingsFailing} href="#scopes" tone={o.totals.listingsFailing ? "text-error" : undefined} testId="total-scopes-ok" />
      </div>

      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <Card aria-labelledby="attention">
          <CardHeader
            id="attention"
            title={`Connections not available (${o.attentionTotal})`}
            description="Worst first. Only the AWS console can complete a PENDING handshake."
            actions={
              o.attentionTotal > o.attention.length ? (
                <Link className="text-xs text-accent underline" href="/connections?status=ERROR&status=PENDING">
                  Show all {o.attentionTotal}
                </Link>
              ) : null
            }
          />
          {o.attention.length === 0 ? (
            <EmptyState title="Every connection is AVAILABLE" />
          ) : (
            <ul className="divide-y divide-border" data-testid="attention-list">
              {o.attention.map((c) => (
                <li key={`${c.account}/${c.region}/${c.id}`} className="flex items-center justify-between gap-3 px-4 py-2 text-sm">
                  <span className="min-w-0">
                    <Link href={`/connections/${c.id}`} className="font-medium hover:underline">
                      {c.name}
                    </Link>
                    <span className="ml-2 text-xs text-muted max-md:mt-0.5 max-md:ml-0 max-md:block">
                      {providerLabel(c.provider)} · {c.account}/{c.region}
                    </span>
                  </span>
                  <StatusBadge status={c.status} />
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card aria-labelledby="hosts-attention">
          <CardHeader id="hosts-attention" title="Hosts not available" description="Self-managed providers connect through a host, which must be set up in the console." />
          {o.hostsAttention.length === 0 ? (
            <EmptyState title="Every host is AVAILABLE" />
          ) : (
            <ul className="divide-y divide-border" data-testid="hosts-attention-list">
              {o.hostsAttention.map((h) => (
                <li key={h.arn} className="flex items-center justify-between gap-3 px-4 py-2 text-sm">
                  <span className="min-w-0">
                    <Link href={`/hosts/${h.id}`} className="font-medium hover:underline">
                      {h.name}
                    </Link>
                    <span className="ml-2 text-xs text-muted max-md:mt-0.5 max-md:ml-0 max-md:block">
                      {providerLabel(h.provider)} · {h.account}/{h.region}
                    </span>
                  </span>
                  <StatusBadge status={h.status} />
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <Card className="mt-6" aria-labelledby="changes">
        <CardHeader id="changes" title="Changes in the last 24 hours" description="Status changes, new and deleted connections and hosts, from complete listings." />
        {o.changes.length === 0 ? (
          <EmptyState title="No changes in the last 24 hours" />
        ) : (
          <ul className="divide-y divide-border" data-testid="changes-list">
            {o.changes.map((e) => (
              <li key={e.seq} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2 text-sm">
                <span className="min-w-0">
                  <Link href={e.kind === "connection" ? `/connections/${e.id}` : `/hosts/${e.id}`} className="font-medium hover:underline">
                    {e.name}
                  </Link>
                  <span className="ml-2 text-xs text-muted max-md:mt-0.5 max-md:ml-0 max-md:block">
                    {e.kind} · {e.account}/{e.region}
                  </span>
                </span>
                <span className="flex items-center gap-2">
                  {e.fromStatus === null ? (
                    <>
                      new <StatusBadge status={e.toStatus} />
                    </>
                  ) : e.toStatus === "DELETED" ? (
                    <>deleted (was {e.fromStatus})</>
                  ) : (
                    <>
                      <StatusBadge status={e.fromStatus} /> → <StatusBadge status={e.toStatus} />
                    </>
                  )}
                  <Time iso={e.at} now={now} className="text-xs text-muted" />
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card className="mt-6" aria-labelledby="scopes-title" id="scopes">
        <CardHeader
          id="scopes-title"
          title="Accounts"
          description="Connections are account-global: AWS lists every connection of an account, of every home Region, from any Region. Tether lists them once per account, through its first configured Region that answers."
          actions={<ShowAll shown={accounts.shown.length} total={accounts.total} all={allListings} anchor="scopes" what="accounts" />}
        />
        <AccountHealth accounts={accounts.shown} now={now} />
      </Card>
      <Card className="mt-6" aria-labelledby="regions-title" id="regions">
        <CardHeader id="regions-title" title="Scopes" description="Hosts and pipelines are regional: Tether lists them in each configured account × Region." actions={<ShowAll shown={scopes.shown.length} total={scopes.total} all={allListings} anchor="regions" what="scopes" />} />
        <ScopeHealth scopes={scopes.shown} now={now} />
      </Card>
    </>
  );
}
