import type { Metadata } from "next";
import Link from "next/link";
import { Fragment } from "react";
import { PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CARD_CELL, CARD_GRID, DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { Pager } from "@/components/ui/pager";
import { FilterSheet } from "@/components/ui/filter-sheet";
import { AUDIT_PAGE_SIZE, getAuditLog } from "@/lib/data/audit";
import { guardPage } from "@/lib/data/guards";
import { utcTime } from "@/lib/labels";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Audit log" };

const OUTCOME_STYLE: Record<string, string> = {
  allowed: "bg-surface-2 text-fg",
  completed: "bg-available-bg text-available",
  refused: "bg-error-bg text-error",
  failed: "bg-error-bg text-error",
  error: "bg-error-bg text-error",
  timeout: "bg-pending-bg text-pending",
};

function Outcome({ value }: { value: string }) {
  return <span className={cn("rounded-full px-2 py-0.5 text-xs font-medium", OUTCOME_STYLE[value] ?? "bg-surface-2")}>{value}</span>;
}

export default async function AuditPage(props: PageProps<"/audit">) {
  await guardPage("admin", "/audit");
  const params = await props.searchParams;
  const view = await getAuditLog(params);
  const one = (k: string) => {
    const v = params[k];
    return (Array.isArray(v) ? v[0] : v) ?? "";
  };
  const qs = new URLSearchParams();
  for (const k of ["actor", "target", "action", "outcome", "from", "to"]) if (one(k)) qs.set(k, one(k));
  const pageLink = (n: number) => `/audit?${new URLSearchParams([...qs, ["page", String(n)]]).toString()}`;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every admin action, allowed or refused, and the outcome Tether watched for. Records cannot be changed or deleted."
        actions={
          <a className={buttonClass()} href={`/api/audit${qs.size ? `?${qs}` : ""}`} download data-testid="audit-csv">
            Export CSV
          </a>
        }
      />
      {view.problems.length ? (
        <Alert tone="warning" className="mb-4" title="Some filters were not understood and are ignored:">
          {view.problems.join("; ")}
        </Alert>
      ) : null}
      <form method="get" action="/audit" className="relative mb-3 text-sm" role="search">
        <FilterSheet active={qs.size} className="flex flex-wrap items-end gap-2 max-md:flex-col max-md:items-stretch">
          <label className="flex flex-col gap-1">
            <span className="text-xs text-muted">User</span>
            <select name="actor" defaultValue={one("actor")} className="rounded-md border border-border bg-surface px-2 py-1.5">
              <option value="">Anyone</option>
              {view.actors.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-muted">Connection or host</span>
            <input name="target" defaultValue={one("target")} placeholder="name or id" className="rounded-md border border-border bg-surface px-2 py-1.5" />
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-muted">Action</span>
            <select name="action" defaultValue={one("action")} className="rounded-md border border-border bg-surface px-2 py-1.5">
              <option value="">Any</option>
              {view.actions.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-muted">Outcome</span>
            <select name="outcome" defaultValue={one("outcome")} className="rounded-md border border-border bg-surface px-2 py-1.5">
              <option value="">Any</option>
              {view.outcomes.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-muted">From (UTC)</span>
            <input type="date" name="from" defaultValue={one("from")} className="rounded-md border border-border bg-surface px-2 py-1.5" />
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-muted">To (UTC)</span>
            <input type="date" name="to" defaultValue={one("to")} className="rounded-md border border-border bg-surface px-2 py-1.5" />
          </label>
          <button type="submit" className={buttonClass("primary")}>
            Filter
          </button>
          {qs.size ? (
            <Link href="/audit" className="px-2 py-1.5 text-muted underline">
              Clear
            </Link>
          ) : null}
        </FilterSheet>
      </form>
      <Card>
        {view.records.length === 0 ? (
          <EmptyState title="No audit records match" />
        ) : (
          <DataTable testId="audit-table" cards columns={["When", "Who", "Action", "Target", "Status before", "Outcome", "Detail"]}>
            <tbody className="divide-y divide-border">
              {/* A phone shows each record as a card: the action and when, then who, the target, what happened. */}
              {view.records.map((r) => {
                const id = r.target.split("/").at(-1) ?? r.target;
                const href = r.targetKind === "connection" ? `/connections/${id}` : r.targetKind === "host" ? `/hosts/${id}` : null;
                return (
                  <tr key={r.id} data-audit-id={r.id} className={cn("align-top", CARD_GRID)}>
                    <td className={cn("px-3 py-2 whitespace-nowrap text-xs max-md:col-start-2 max-md:row-start-1 max-md:text-muted", CARD_CELL)} title={r.at}>
                      {utcTime(r.at)}
                    </td>
                    <td className={cn("px-3 py-2 max-md:col-span-2", CARD_CELL)}>
                      {r.actor}
                      <span className="block text-xs text-muted">
                        {r.actorRole} · {r.via}
                      </span>
                    </td>
                    {/* On a phone a long action breaks after a dot (connection.resume.⏎outcome), not inside a word. */}
                    <td className={cn("px-3 py-2 font-mono text-xs md:whitespace-nowrap max-md:col-start-1 max-md:row-start-1 max-md:font-semibold max-md:wrap-anywhere", CARD_CELL)}>
                      {r.action.split(".").map((part, i) => (
                        <Fragment key={i}>
                          {i > 0 ? (
                            <>
                              .<wbr />
                            </>
                          ) : null}
                          {part}
                        </Fragment>
                      ))}
                    </td>
                    <td className={cn("px-3 py-2 max-md:col-span-2 max-md:wrap-anywhere", CARD_CELL)}>
                      {href ? (
                        <Link href={href} className="hover:underline">
                          {r.targetName ?? id}
                        </Link>
                      ) : (
                        (r.targetName ?? r.target)
                      )}
                      <span className="block text-xs text-muted" title={r.target}>
                        {r.target.split("/").slice(0, 2).join("/")}
                      </span>
                    </td>
                    <td className={cn("px-3 py-2 text-xs max-md:col-span-2 max-md:before:content-['status_before:_']", r.statusBefore ? null : "max-md:hidden", CARD_CELL)}>{r.statusBefore ?? "—"}</td>
                    <td className={cn("px-3 py-2 max-md:col-span-2 max-md:mt-1", CARD_CELL)} data-testid="audit-outcome">
                      <span className="flex flex-col items-start gap-1">
                        <Outcome value={r.outcome} />
                        {r.outcomes.map((o) => (
                          <span key={o.id} className="text-xs text-muted">
                            <span className="flex items-center gap-1">
                              → <Outcome value={o.outcome} /> {utcTime(o.at).slice(11)}
                            </span>
                            {o.detail ? <span className="block max-w-xs break-all">{o.detail}</span> : null}
                          </span>
                        ))}
                        {r.unfinished ? (
                          <span className="text-xs text-pending" data-testid="audit-unfinished" title="No outcome is recorded yet: still being watched, or the action was interrupted before its outcome could be written.">
                            → no outcome recorded yet
                          </span>
                        ) : null}
                      </span>
                    </td>
                    <td className={cn("max-w-xs px-3 py-2 text-xs break-all text-muted max-md:col-span-2 max-md:max-w-none max-md:empty:hidden", CARD_CELL)}>
                      {r.detail}
                      {r.relatedId ? <span className="block">outcome of #{r.relatedId}</span> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </DataTable>
        )}
        <Pager page={{ page: view.page, pages: view.pages, total: view.total, pageSize: AUDIT_PAGE_SIZE }} hrefFor={pageLink} />
      </Card>
    </>
  );
}
