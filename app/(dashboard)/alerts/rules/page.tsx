import type { Metadata } from "next";
import Link from "next/link";
import { MaintenanceForm, RuleForm, TestChannelButton } from "@/components/alerts/rule-forms";
import { PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { getRulesView } from "@/lib/data/alerts";
import { guardPage } from "@/lib/data/guards";
import { utcTime } from "@/lib/labels";
import { addWindowAction, endWindowAction, testChannelAction, updateRuleAction } from "./actions";

export const metadata: Metadata = { title: "Alert rules" };

/** The built-in rules (admins tune or disable them; viewers read), the channels, maintenance windows. */
export default async function AlertRulesPage() {
  await guardPage("viewer", "/alerts/rules");
  const view = await getRulesView();
  const channelLabel = new Map(view.channels.map((c) => [c.id, c.label]));

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted">
        <Link href="/alerts" className="hover:underline">
          Alerts
        </Link>{" "}
        / Rules
      </nav>
      <PageHeader
        title="Alert rules and channels"
        description="Built in and enabled by default. An alert fires when its condition holds on two evaluations in a row and resolves when it clears on two; a firing alert nobody acknowledged is notified again every 4 h. Changes are audited."
      />
      {!view.linksToTether && view.channels.length ? (
        <Alert tone="warning" className="mb-4" title="AUTH_URL is not set">
          Notifications cannot link to Tether; they carry the AWS console links only.
        </Alert>
      ) : null}

      <Card className="mb-6">
        <CardHeader title="Rules" description={view.canEdit ? "Tune a threshold, choose the channels, or disable a rule (its firing alerts resolve at once)." : "Admins tune these."} />
        <ul className="divide-y divide-border" data-testid="rules">
          {view.rules.map((r) => (
            <li key={r.id} data-rule={r.id} data-enabled={r.enabled} className="grid gap-3 px-4 py-4 md:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
              <div className="min-w-0">
                <p className="font-medium">
                  {r.title} <span className="font-mono text-xs text-muted">{r.id}</span>
                </p>
                <p className="mt-1 text-sm text-muted">{r.description}</p>
                <p className="mt-1 text-xs text-muted">
                  Evaluated after each {r.cadence === "poll" ? "poll" : "latency cycle"} ·{" "}
                  <Link href={`/alerts?rule=${r.id}&state=firing`} className="hover:underline">
                    {r.firing} firing
                  </Link>
                  {r.updatedAt ? ` · changed by ${r.updatedBy ?? "?"} at ${utcTime(r.updatedAt)}` : ""}
                </p>
              </div>
              {view.canEdit ? (
                <RuleForm rule={r} channels={view.channels} action={updateRuleAction} />
              ) : (
                <dl className="text-sm" data-testid="rule-settings">
                  <dt className="sr-only">State</dt>
                  <dd>{r.enabled ? "Enabled" : "Disabled"}</dd>
                  {r.params.map((p) => (
                    <dd key={p.key} className="text-muted">
                      {p.label} {p.value} {p.unit}
                    </dd>
                  ))}
                  <dd className="text-muted">Notifies {r.channels === null ? "every channel" : r.channels.length ? r.channels.map((c) => channelLabel.get(c) ?? c).join(", ") : "no channel"}</dd>
                </dl>
              )}
            </li>
          ))}
        </ul>
      </Card>

      <Card className="mb-6">
        <CardHeader title="Channels" description="Configured by environment (TETHER_NOTIFY_SLACK_URLS, TETHER_NOTIFY_WEBHOOK_URLS); their URLs are secrets and are not shown." />
        {view.channels.length === 0 ? (
          <EmptyState title="No channel is configured">Alerts are shown in Tether only (docs/alerts.md).</EmptyState>
        ) : (
          <DataTable testId="channels-table" columns={["Channel", "Id", ...(view.canEdit ? [{ label: "Test", srOnly: true }] : [])]}>
            <tbody className="divide-y divide-border">
              {view.channels.map((c) => (
                <tr key={c.id} data-channel={c.id}>
                  <td className="px-3 py-2">{c.label}</td>
                  <td className="px-3 py-2 font-mono text-xs">{c.id}</td>
                  {view.canEdit ? (
                    <td className="px-3 py-2">
                      <TestChannelButton channel={c} action={testChannelAction} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </Card>

      <Card>
        <CardHeader title="Maintenance windows" description="While one is active, alerts whose subject is in its scope are recorded but not notified; one still firing when it ends is notified then." />
        {view.canEdit ? (
          <div className="border-b border-border p-4">
            <MaintenanceForm action={addWindowAction} />
          </div>
        ) : null}
        {view.windows.length === 0 ? (
          <EmptyState title="No maintenance window is active or planned" />
        ) : (
          <DataTable testId="windows-table" columns={["Scope", "From", "Until", "Reason", "By", ...(view.canEdit ? [{ label: "End", srOnly: true }] : [])]}>
            <tbody className="divide-y divide-border">
              {view.windows.map((w) => (
                <tr key={w.id} data-window={w.id} data-active={w.active}>
                  <td className="px-3 py-2">
                    {w.account ? `${w.account}${w.region ? ` / ${w.region}` : ""}` : "every account"}
                    {w.active ? <span className="ml-2 rounded-full bg-pending-bg px-2 py-0.5 text-xs text-pending">active</span> : null}
                  </td>
                  <td className="px-3 py-2 text-xs">{utcTime(w.startsAt)}</td>
                  <td className="px-3 py-2 text-xs">{utcTime(w.endsAt)}</td>
                  <td className="px-3 py-2 break-words">{w.reason}</td>
                  <td className="px-3 py-2 text-xs">{w.createdBy}</td>
                  {view.canEdit ? (
                    <td className="px-3 py-2 text-right">
                      <form action={endWindowAction}>
                        <input type="hidden" name="id" value={w.id} />
                        <Button type="submit" variant="ghost" aria-label={`End maintenance window #${w.id}`}>
                          End now
                        </Button>
                      </form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </Card>
    </>
  );
}
