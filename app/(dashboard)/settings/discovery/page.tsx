import type { Metadata } from "next";
import Link from "next/link";
import { DiscoverButton } from "@/components/discovery/discover-button";
import { PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { CARD_CELL, CARD_GRID, DataTable } from "@/components/ui/data-table";
import { DefinitionList } from "@/components/ui/definition-list";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { getDiscoveryView } from "@/lib/data/discovery";
import { guardPage } from "@/lib/data/guards";
import { relativeTime, utcTime } from "@/lib/labels";
import type { SkippedAccount } from "@/lib/types";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Discovery" };
export const dynamic = "force-dynamic";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const triggerLabel = (t: string) => (t === "schedule" ? "the schedule" : t === "start-up" ? "start-up (nothing discovered yet)" : t);

export default async function DiscoveryPage() {
  await guardPage("admin", "/settings/discovery");
  const view = await getDiscoveryView();
  const { config, current } = view;
  const result = current?.result ?? null;
  const now = view.now;

  if (!config) {
    return (
      <>
        <PageHeader title="Organization discovery" />
        <Card>
          <EmptyState title="Discovery is off">
            Set <code>TETHER_ORGANIZATION</code> to watch every account of an AWS Organization without listing them in <code>TETHER_SCOPES</code> (docs/configuration.md).
          </EmptyState>
        </Card>
      </>
    );
  }

  const configured = new Set(view.configuredAccounts);
  // Accounts outside includeOus can be most of the organization: folded, after the ones skipped for a reason to act on.
  const notable = (result?.skipped ?? []).filter((a) => a.reason !== "not in includeOus");
  const outside = (result?.skipped ?? []).filter((a) => a.reason === "not in includeOus");
  return (
    <>
      <PageHeader
        title="Organization discovery"
        description={`The accounts of the AWS Organization that Tether watches, found every ${view.intervalMinutes} minutes (TETHER_DISCOVERY_INTERVAL_MINUTES), and the ones it skips, with why.`}
        actions={<DiscoverButton runningSince={view.running?.since ?? null} />}
      />

      {view.lastFailure ? (
        <Alert tone="error" title={`The last discovery failed (${utcTime(view.lastFailure.finishedAt)}, by ${triggerLabel(view.lastFailure.trigger)})`} className="mb-4" data-testid="discovery-failure">
          {view.lastFailure.error} {current ? `The accounts found ${relativeTime(current.finishedAt, now)} are still watched.` : "No account is watched through discovery until a run succeeds."}
        </Alert>
      ) : null}
      {result?.warnings.length ? (
        <Alert tone="warning" title="Worth checking" className="mb-4" data-testid="discovery-warnings">
          <ul className="list-disc pl-5">
            {result.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </Alert>
      ) : null}

      <div className="grid grid-cols-1 gap-4">
        <Card aria-labelledby="discovery-when">
          <CardHeader id="discovery-when" title="Last run" />
          <DefinitionList
            items={[
              { term: "Last run", testId: "discovery-last-run", value: current ? `${utcTime(current.finishedAt)} (${relativeTime(current.finishedAt, now)}), by ${triggerLabel(current.trigger)}, in ${seconds(current.durationMs)}` : "never" },
              { term: "Next run", testId: "discovery-next-run", value: view.nextRun ? (Date.parse(view.nextRun) <= now ? "due now" : `${utcTime(view.nextRun)} (${relativeTime(view.nextRun, now)})`) : "not scheduled (TETHER_BACKGROUND=off): run it here" },
              { term: "Organization", value: result ? `${result.organizationId}, management account ${result.managementAccount}; read as ${result.caller}${result.caller === result.managementAccount ? " (the management account)" : " (a delegated administrator)"}` : "—" },
              { term: "Role in each account", value: <code className="wrap-anywhere">{config.roleName}</code> },
              { term: "Regions", value: config.regions ? config.regions.join(", ") : "each account's enabled Regions (ListRegions)" },
              { term: "OUs", value: config.includeOus ? `${config.includeOus.join(", ")}${result?.ous.length ? ` → ${result.ous.map((o) => `${o.path} (${o.id})`).join(", ")}` : ""}` : "the whole organization" },
              { term: "Excluded", value: config.excludeAccounts?.length ? config.excludeAccounts.join(", ") : "none" },
              ...(config.managementRoleArn ? [{ term: "Read through", value: <code className="wrap-anywhere">{config.managementRoleArn}</code> }] : []),
              ...(result ? [{ term: "AWS calls", value: Object.entries(result.calls).map(([op, n]) => `${op} ${n}`).join(", ") || "—" }] : []),
            ]}
          />
        </Card>

        <Card aria-labelledby="discovery-watched">
          <CardHeader
            id="discovery-watched"
            title={`Watched (${result?.accounts.length ?? 0})`}
            description={`Each account's Regions become scopes reached through its role. An account that TETHER_SCOPES names is watched as configured there.`}
          />
          {result && result.accounts.length ? (
            <DataTable testId="discovered-accounts" cards columns={["Account", "OU", "Regions", "State", "Role"]}>
              <tbody className="divide-y divide-border">
                {result.accounts.map((a) => (
                  <tr key={a.id} data-account={a.id} className={cn("align-top", CARD_GRID)}>
                    <td className={cn("px-3 py-2 max-md:col-start-1 max-md:row-start-1", CARD_CELL)}>
                      <span className="font-medium">{a.name}</span>
                      <span className="block font-mono text-xs text-muted">{a.id}</span>
                      {configured.has(a.id) ? <span className="block text-xs text-muted">configured in TETHER_SCOPES</span> : null}
                    </td>
                    <td className={cn("px-3 py-2 text-xs max-md:col-span-2", CARD_CELL)}>{a.ou ?? "—"}</td>
                    <td className={cn("px-3 py-2 text-xs max-md:col-span-2", CARD_CELL)}>
                      {a.regions.join(", ")}
                      {a.regionsFrom === "previous run" ? <span className="block text-pending">{a.note}</span> : null}
                    </td>
                    <td className={cn("px-3 py-2 max-md:col-start-2 max-md:row-start-1", CARD_CELL)}>
                      <StatusBadge status={a.state} />
                    </td>
                    <td className={cn("px-3 py-2 text-xs max-md:col-span-2 max-md:mt-1", CARD_CELL)} data-testid="role-status">
                      {a.roleError ? (
                        <span className="text-error">
                          role not assumable: {a.roleError}{" "}
                          <Link href="/" className="underline">
                            see its banner
                          </Link>
                        </span>
                      ) : (
                        <span className="text-available">role assumed</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          ) : (
            <EmptyState title={current ? "No account to watch" : "Not discovered yet"}>{current ? "Every account of the organization is skipped: see why below." : "Run a discovery to see the organization's accounts."}</EmptyState>
          )}
        </Card>

        <Card aria-labelledby="discovery-skipped">
          <CardHeader id="discovery-skipped" title={`Skipped (${result?.skipped.length ?? 0})`} description="Accounts of the organization that Tether does not watch, and why." />
          {result && result.skipped.length ? (
            <>
              {notable.length ? <SkippedTable accounts={notable} testId="skipped-accounts" /> : <p className="px-4 py-3 text-sm text-muted">Only accounts outside includeOus.</p>}
              {outside.length ? (
                <details className="border-t border-border" data-testid="skipped-outside">
                  <summary className="cursor-pointer px-4 py-3 text-sm font-medium">
                    {outside.length} account(s) outside includeOus ({config.includeOus?.join(", ")})
                  </summary>
                  <SkippedTable accounts={outside} testId="skipped-outside-accounts" />
                </details>
              ) : null}
            </>
          ) : (
            <EmptyState title="Nothing skipped" />
          )}
        </Card>

        <Card aria-labelledby="discovery-runs">
          <CardHeader id="discovery-runs" title="Recent runs" />
          {view.recent.length ? (
            <DataTable testId="discovery-runs-table" dense columns={["Started", "By", "Took", "Outcome"]}>
              <tbody className="divide-y divide-border">
                {view.recent.map((r) => (
                  <tr key={r.id} data-run={r.id}>
                    <td className="px-3 py-2 text-xs whitespace-nowrap">{utcTime(r.startedAt)}</td>
                    <td className="px-3 py-2 text-xs">{triggerLabel(r.trigger)}</td>
                    <td className="px-3 py-2 text-xs whitespace-nowrap">{seconds(r.durationMs)}</td>
                    <td className="px-3 py-2 text-xs">{r.outcome === "ok" ? `${r.watched} watched, ${r.skipped} skipped` : <span className="text-error">failed: {r.error}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          ) : (
            <EmptyState title="No run yet" />
          )}
        </Card>
      </div>
    </>
  );
}

function SkippedTable({ accounts, testId }: { accounts: SkippedAccount[]; testId: string }) {
  return (
    <DataTable testId={testId} cards columns={["Account", "OU", "State", "Why"]}>
      <tbody className="divide-y divide-border">
        {accounts.map((a) => (
          <tr key={a.id} data-account={a.id} data-reason={a.reason} className={cn("align-top", CARD_GRID)}>
            <td className={cn("px-3 py-2 max-md:col-start-1 max-md:row-start-1", CARD_CELL)}>
              <span className="font-medium">{a.name}</span>
              <span className="block font-mono text-xs text-muted">{a.id}</span>
            </td>
            <td className={cn("px-3 py-2 text-xs max-md:col-span-2", CARD_CELL)}>{a.ou ?? "—"}</td>
            <td className={cn("px-3 py-2 max-md:col-start-2 max-md:row-start-1", CARD_CELL)}>
              <StatusBadge status={a.state} />
            </td>
            <td className={cn("px-3 py-2 text-xs max-md:col-span-2", CARD_CELL)} data-testid="skip-reason">
              <span className="font-medium">{a.reason}</span>
              <span className="block text-muted">{a.detail}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
