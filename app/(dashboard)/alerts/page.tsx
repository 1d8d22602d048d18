import type { Metadata } from "next";
import Link from "next/link";
import { AlertActions } from "@/components/alerts/alert-actions";
import { AlertStateBadge, Deliveries } from "@/components/alerts/alert-badges";
import { PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CARD_CELL, CARD_GRID, DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { Pager } from "@/components/ui/pager";
import { Time } from "@/components/ui/time";
import { ALERTS_PAGE_SIZE, getAlertsView } from "@/lib/data/alerts";
import { guardPage } from "@/lib/data/guards";
import type { AlertView } from "@/lib/types";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Alerts" };

function Subject({ a }: { a: AlertView }) {
  const s = a.subject;
  return (
    <>
      {a.subjectHref ? (
        <Link href={a.subjectHref} className="font-medium break-words hover:underline" data-testid="alert-subject">
          {s.name}
        </Link>
      ) : (
        <span className="font-medium break-words" data-testid="alert-subject">
          {s.name}
        </span>
      )}
      <span className="block text-xs break-words text-muted">{[s.kind, s.account, s.region].filter(Boolean).join(" · ")}</span>
    </>
  );
}

export default async function AlertsPage(props: PageProps<"/alerts">) {
  await guardPage("viewer", "/alerts");
  const params = await props.searchParams;
  const view = await getAlertsView(params);
  const now = Date.parse(view.generatedAt);
  const qs = new URLSearchParams();
  if (view.query.state) qs.set("state", view.query.state);
  if (view.query.rule) qs.set("rule", view.query.rule);
  const pageLink = (n: number) => `/alerts?${new URLSearchParams([...qs, ["page", String(n)]]).toString()}`;

  return (
    <>
      <PageHeader
        title="Alerts"
        description={`Firing first, then resolved. Rules are evaluated right after each poll and latency cycle; an alert fires once its condition holds on two evaluations in a row. ${view.firing} firing.`}
        actions={
          <Link href="/alerts/rules" className={buttonClass()}>
            Rules and channels
          </Link>
        }
      />
      {view.problems.length ? (
        <Alert tone="warning" className="mb-4" title="Some filters were not understood and are ignored:">
          {view.problems.join("; ")}
        </Alert>
      ) : null}
      {view.channels.length === 0 ? (
        <Alert className="mb-4" title="No notification channel is configured">
          Alerts are shown here only. Set TETHER_NOTIFY_SLACK_URLS or TETHER_NOTIFY_WEBHOOK_URLS to send them (docs/alerts.md).
        </Alert>
      ) : null}
      <form method="get" action="/alerts" className="mb-3 flex flex-wrap items-end gap-2 text-sm" role="search">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">State</span>
          <select name="state" defaultValue={view.query.state ?? ""} className="rounded-md border border-border bg-surface px-2 py-1.5">
            <option value="">Any</option>
            <option value="firing">firing</option>
            <option value="resolved">resolved</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">Rule</span>
          <select name="rule" defaultValue={view.query.rule ?? ""} className="rounded-md border border-border bg-surface px-2 py-1.5">
            <option value="">Any</option>
            {view.rules.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={buttonClass("primary")}>
          Filter
        </button>
        {qs.size ? (
          <Link href="/alerts" className="px-2 py-1.5 text-muted underline">
            Clear
          </Link>
        ) : null}
      </form>
      <Card>
        {view.alerts.length === 0 ? (
          <EmptyState title={qs.size ? "No alerts match" : "No alerts yet"}>{qs.size ? null : "Nothing has fired. Rules and their thresholds: Rules and channels."}</EmptyState>
        ) : (
          <DataTable testId="alerts-table" cards columns={["Alert", "Subject", "State", "Since", "Notified", ...(view.canAct ? [{ label: "Actions", srOnly: true }] : [])]}>
            <tbody className="divide-y divide-border">
              {/* A phone shows each alert as a card: what fired and its state, the subject, since when, the actions; who was notified is on the alert's page. */}
              {view.alerts.map((a) => (
                <tr key={a.id} data-alert-id={a.id} data-rule={a.rule} data-subject-id={a.subject.id} className={cn("align-top", CARD_GRID)}>
                  <td className={cn("px-3 py-2 md:min-w-56 max-md:min-w-0", CARD_CELL)}>
                    <Link href={`/alerts/${a.id}`} className="font-medium hover:underline">
                      {a.ruleTitle}
                    </Link>
                    <span className="block text-xs break-words text-muted">
                      #{a.id} · {a.summary}
                    </span>
                  </td>
                  <td className={cn("px-3 py-2 md:min-w-44 max-md:col-span-2", CARD_CELL)}>
                    <Subject a={a} />
                  </td>
                  <td className={cn("px-3 py-2 max-md:col-start-2 max-md:row-start-1 max-md:justify-self-end", CARD_CELL)}>
                    <AlertStateBadge alert={a} now={now} />
                  </td>
                  <td className={cn("px-3 py-2 text-xs whitespace-nowrap max-md:col-span-2 max-md:text-muted max-md:before:content-['began_']", CARD_CELL)}>
                    <Time iso={a.since} now={now} />
                    {a.resolvedAt ? (
                      <span className="block text-muted">
                        resolved <Time iso={a.resolvedAt} now={now} />
                      </span>
                    ) : null}
                  </td>
                  <td className="min-w-48 px-3 py-2 max-md:hidden">
                    <Deliveries deliveries={a.deliveries} />
                  </td>
                  {view.canAct ? <td className={cn("px-3 py-2 max-md:col-span-2 max-md:empty:hidden", CARD_CELL)}>{a.state === "firing" ? <AlertActions id={a.id} acknowledged={a.acknowledged !== null} /> : null}</td> : null}
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
        <Pager page={{ page: view.page, pages: view.pages, total: view.total, pageSize: ALERTS_PAGE_SIZE }} hrefFor={pageLink} />
      </Card>
    </>
  );
}
