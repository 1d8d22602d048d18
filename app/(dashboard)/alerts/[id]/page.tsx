import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AlertActions } from "@/components/alerts/alert-actions";
import { AlertStateBadge, Deliveries } from "@/components/alerts/alert-badges";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { DefinitionList } from "@/components/ui/definition-list";
import { ExternalLink } from "@/components/ui/external-link";
import { Time } from "@/components/ui/time";
import { getAlert } from "@/lib/data/alerts";
import { guardPage } from "@/lib/data/guards";
import { providerLabel, utcTime } from "@/lib/labels";
import { pageSegment } from "@/lib/security/path";

export const metadata: Metadata = { title: "Alert" };

const KIND_LABEL: Record<string, string> = { fired: "Fired", renotified: "Notified again", resolved: "Resolved", acknowledged: "Acknowledged", silenced: "Silenced" };

/** One alert: what, since when, who must act, links, its timeline with each channel's delivery. Slack links land here; it reads on a phone. */
export default async function AlertPage(props: PageProps<"/alerts/[id]">) {
  const { id } = await props.params;
  await guardPage("viewer", `/alerts/${id}`);
  const segment = pageSegment(id);
  const detail = segment === null ? null : await getAlert(segment);
  if (!detail) notFound();
  const { alert: a, transitions, canAct } = detail;
  const s = a.subject;
  const now = Date.parse(detail.generatedAt);

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted">
        <Link href="/alerts" className="hover:underline">
          Alerts
        </Link>{" "}
        / #{a.id}
      </nav>
      <PageHeader title={<span className="break-words">{a.summary}</span>} description={`${a.ruleTitle} · alert #${a.id}`} actions={<AlertStateBadge alert={a} now={now} />} />
      <div className="grid min-w-0 gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="min-w-0 space-y-4">
          <Card>
            <CardHeader title="What" />
            <p className="px-4 pt-3 text-sm break-words" data-testid="alert-detail">
              {a.detail}
            </p>
            <DefinitionList
              items={[
                {
                  term: "Subject",
                  testId: "alert-subject",
                  value: a.subjectHref ? (
                    <Link href={a.subjectHref} className="font-medium break-words hover:underline">
                      {s.name}
                    </Link>
                  ) : (
                    <span className="font-medium break-words">{s.name}</span>
                  ),
                },
                { term: "Kind", value: s.kind },
                ...(s.kind === "connection" || s.kind === "host" ? [{ term: s.kind === "connection" ? "UUID" : "Id", value: <span className="font-mono text-xs break-all">{s.id}</span> }] : []),
                ...(s.account ? [{ term: "Account", value: <span className="font-mono">{s.account}</span> }] : []),
                ...(s.region ? [{ term: s.kind === "connection" ? "Home Region" : "Region", value: s.region }] : []),
                ...(s.provider ? [{ term: "Provider", value: providerLabel(s.provider) }] : []),
                ...(s.arn ? [{ term: "ARN", value: <span className="font-mono text-xs break-all" data-testid="alert-arn">{s.arn}</span> }] : []),
                { term: "Since", value: <span title={utcTime(a.since)}>{utcTime(a.since)}</span> },
                { term: "Fired", value: utcTime(a.firedAt) },
                ...(a.resolvedAt ? [{ term: "Resolved", value: utcTime(a.resolvedAt) }] : []),
                { term: "Rule", value: <Link href="/alerts/rules" className="hover:underline">{`${a.ruleTitle} (${a.rule})`}</Link> },
              ]}
            />
          </Card>
          {a.guidance ? (
            <Card data-testid="alert-guidance">
              <CardHeader title="Who must act" />
              <div className="space-y-1 px-4 py-3 text-sm break-words">
                <p className="font-medium">{a.guidance.who}</p>
                <p className="text-muted">{a.guidance.howTo}</p>
              </div>
            </Card>
          ) : null}
          <Card>
            <CardHeader title="Timeline" description="Every transition, and whether each channel received it." />
            <ol className="divide-y divide-border" data-testid="alert-timeline">
              {transitions.map((t) => (
                <li key={t.id} className="space-y-1 px-4 py-3 text-sm" data-transition={t.kind}>
                  <p className="flex flex-wrap items-baseline gap-x-2">
                    <span className="font-medium">{KIND_LABEL[t.kind] ?? t.kind}</span>
                    <span className="text-xs text-muted">{utcTime(t.at)}</span>
                    {t.actor ? <span className="text-xs text-muted">by {t.actor}</span> : null}
                  </p>
                  {t.note ? <p className="text-xs break-words text-muted">{t.note}</p> : null}
                  {t.kind === "fired" || t.kind === "renotified" || t.kind === "resolved" ? <Deliveries deliveries={t.deliveries} empty={t.notified ? "no channel" : "not notified"} /> : null}
                </li>
              ))}
            </ol>
          </Card>
        </div>
        <div className="min-w-0 space-y-4">
          {a.state === "firing" ? (
            <Card>
              <CardHeader title="Status" />
              <div className="space-y-2 p-4 text-sm">
                <p>
                  Fired <Time iso={a.firedAt} now={now} className="font-medium" />.
                </p>
                {a.acknowledged ? (
                  <p className="break-words text-muted" data-testid="alert-acknowledged">
                    Acknowledged by {a.acknowledged.by} at {utcTime(a.acknowledged.at)}: {a.acknowledged.reason}
                  </p>
                ) : (
                  <p className="text-muted">Not acknowledged: notified again every 4 h while it fires.</p>
                )}
                {a.silenced && Date.parse(a.silenced.until) > now ? (
                  <p className="break-words text-muted">
                    Silenced until {utcTime(a.silenced.until)} by {a.silenced.by}: {a.silenced.reason}
                  </p>
                ) : null}
                {canAct ? <AlertActions id={a.id} acknowledged={a.acknowledged !== null} /> : null}
              </div>
            </Card>
          ) : null}
          <Card>
            <CardHeader title="Links" />
            <div className="flex flex-col items-start gap-2 p-4">
              {a.subjectHref ? (
                <Link href={a.subjectHref} className="text-sm hover:underline">
                  {s.name} in Tether →
                </Link>
              ) : null}
              {a.consoleUrl ? <ExternalLink href={a.consoleUrl}>AWS console</ExternalLink> : <span className="text-xs text-muted">No console page for this subject.</span>}
            </div>
          </Card>
        </div>
      </div>
    </>
  );
}
