import type { Metadata } from "next";
import { Pager } from "@/components/ui/pager";
import Link from "next/link";
import { Freshness } from "@/components/layout/freshness";
import { PageHeader } from "@/components/layout/page-header";
import { ResumeButton } from "@/components/pending/resume-button";
import { WatchStatus } from "@/components/pending/watch-status";
import { ScopeErrors } from "@/components/scopes/scope-errors";
import { Card, CardHeader } from "@/components/ui/card";
import { CARD_CELL, CARD_GRID, DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ExternalLink } from "@/components/ui/external-link";
import { Time } from "@/components/ui/time";
import { isRefresh } from "@/lib/data/inventory";
import { guardPage } from "@/lib/data/guards";
import { getPendingQueue, type PendingItem } from "@/lib/data/pending";
import { age, providerLabel } from "@/lib/labels";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Pending handshakes" };

/** WatchStatus in a card: its box dissolves, the badge sits right of the name, the watch's line spans the card. */
const CARD_WATCH = { root: "max-md:contents", badge: "max-md:col-start-2 max-md:row-start-1 max-md:justify-self-end", outcome: "max-md:col-span-2 max-md:mt-1 max-md:wrap-anywhere" };

function Row({ item: i, canAct, now }: { item: PendingItem; canAct: boolean; now: number }) {
  const href = i.kind === "connection" ? `/connections/${i.id}` : `/hosts/${i.id}`;
  return (
    <tr data-pending-id={i.id} data-pending-kind={i.kind} className={cn("align-top", CARD_GRID)}>
      <td className={cn("px-3 py-3 max-md:row-span-2", CARD_CELL)}>
        <Link href={href} className="font-medium break-words hover:underline">
          {i.name}
        </Link>
        <span className="block text-xs text-muted">
          {i.kind === "host" ? "Host · " : ""}
          {providerLabel(i.provider)}
          {i.hostName ? ` · via ${i.hostName}${i.hostStatus && i.hostStatus !== "AVAILABLE" ? ` (host ${i.hostStatus})` : ""}` : ""}
        </span>
        {i.blocks ? (
          <span className="mt-1 inline-block rounded bg-error-bg px-1.5 py-0.5 text-xs font-medium text-error" data-testid="blocks">
            blocks {i.blocks} pipeline{i.blocks === 1 ? "" : "s"}
          </span>
        ) : null}
      </td>
      {/* On a phone the cell dissolves into the card: the badge top right, the line about the watch
          ("Still pending at timeout · alice@…") across the card under the name, not squeezing it. */}
      <td className={cn("px-3 py-3 max-md:contents", CARD_CELL)}>
        <WatchStatus kind={i.kind} id={i.id} status={i.status} watch={i.watch} layout={CARD_WATCH} />
      </td>
      <td className={cn("px-3 py-3 font-mono text-xs whitespace-nowrap max-md:hidden", CARD_CELL)}>
        {i.account}
        <span className="block font-sans text-muted">
          {i.region}
          {i.homeRegionWatched ? null : (
            <span className="ml-1 text-xs text-pending" title="No configured scope lists this Region; the console link still goes there.">
              (home Region not watched)
            </span>
          )}
        </span>
      </td>
      <td className={cn("px-3 py-3 whitespace-nowrap max-md:col-start-2 max-md:row-start-2 max-md:justify-self-end max-md:text-xs", CARD_CELL)} data-testid="age">
        {i.unknownSince ? (
          <span className="text-muted">
            unknown since <Time iso={i.unknownSince} now={now} />
          </span>
        ) : i.statusSince ? (
          i.sinceFirstSeen ? (
            <span title={`${i.status} when Tether first listed it (${i.statusSince}); it may have been ${i.status} for longer`}>≥ {age(i.statusSince, now)}</span>
          ) : (
            <span title={`${i.status} since ${i.statusSince}`}>{age(i.statusSince, now)}</span>
          )
        ) : (
          <span className="text-muted">—</span>
        )}
      </td>
      <td className={cn("max-w-xs px-3 py-3 max-md:col-span-2 max-md:mt-1 max-md:max-w-none", CARD_CELL)}>
        <span className="block">{i.who}</span>
        <span className="mt-0.5 block text-xs text-muted">{i.howTo}</span>
      </td>
      {canAct ? (
        <td className={cn("px-3 py-3 max-md:col-span-2 max-md:empty:hidden", CARD_CELL)}>
          {i.watch?.state === "completed" ? null : (
            <span className="flex flex-col items-start gap-2 max-md:mt-1 max-md:flex-row max-md:flex-wrap max-md:items-center max-md:gap-4">
              <ResumeButton kind={i.kind} id={i.id} name={i.name} label={i.kind === "connection" ? "Resume" : "Set up host"} />
              {i.consoleUrl ? (
                <ExternalLink href={i.consoleUrl} variant="ghost" className="px-0 text-xs">
                  Console
                </ExternalLink>
              ) : null}
            </span>
          )}
        </td>
      ) : null}
    </tr>
  );
}

function QueueTable({ items, canAct, now, testId }: { items: PendingItem[]; canAct: boolean; now: number; testId: string }) {
  return (
    <DataTable testId={testId} cards columns={["Name", "Status", "Account / home Region", "Age", "Who must complete it", ...(canAct ? ["Actions"] : [])]}>
      <tbody className="divide-y divide-border">
        {items.map((i) => (
          <Row key={`${i.kind}/${i.account}/${i.region}/${i.id}`} item={i} canAct={canAct} now={now} />
        ))}
      </tbody>
    </DataTable>
  );
}

export default async function PendingPage(props: PageProps<"/pending">) {
  await guardPage("viewer", "/pending");
  const params = await props.searchParams;
  // Oldest first, 50 a page: a large fleet waits on a thousand handshakes, and one page of them all was megabytes of HTML.
  const q = await getPendingQueue({ refresh: isRefresh(params), ...(typeof params.page === "string" ? { page: params.page } : {}) });
  const now = Date.parse(q.generatedAt);
  const page = q.page;
  return (
    <>
      <PageHeader
        title="Pending handshakes"
        description="Connections waiting for a console handshake or in ERROR, and hosts waiting for set-up: oldest first. Only the AWS console can complete them."
        actions={<Freshness generatedAt={q.generatedAt} refreshHref="/pending?refresh=1" now={now} />}
      />
      <ScopeErrors health={q.health} now={now} />
      <Card>
        <CardHeader
          title={`${q.items.length} waiting`}
          description={q.canAct ? "Resume records who started it, opens the console page in a new tab, and watches until the connection is AVAILABLE." : "Admins can resume these from here; you see who must complete each one and how."}
        />
        {q.items.length === 0 ? (
          <EmptyState title="Nothing is waiting">Every connection is AVAILABLE and every host is set up.</EmptyState>
        ) : (
          <>
            <QueueTable items={page.rows} canAct={q.canAct} now={now} testId="pending-table" />
            <Pager page={page} hrefFor={(n) => `/pending?page=${n}`} />
          </>
        )}
      </Card>
      {q.resolved.length > 0 ? (
        <Card className="mt-6">
          <CardHeader title="Resolved in the last hour" description="Resumed from Tether and seen AVAILABLE (or settled) by its watch." />
          <QueueTable items={q.resolved} canAct={q.canAct} now={now} testId="resolved-table" />
        </Card>
      ) : null}
    </>
  );
}
