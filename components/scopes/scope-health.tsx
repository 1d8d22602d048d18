import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { Time } from "@/components/ui/time";
import type { AccountSummary, ListingSummary, ScopeSummary } from "@/lib/types";

function State({ l }: { l: ListingSummary }) {
  return l.ok ? (
    <span className="text-available">reachable</span>
  ) : (
    <span className="text-error" title={l.error ?? undefined}>
      error: {l.error}
    </span>
  );
}

function AsOf({ l, now }: { l: ListingSummary; now: number }) {
  return (
    <td className="px-3 py-2 whitespace-nowrap text-muted">
      {l.asOf ? <Time iso={l.asOf} now={now} /> : "never"}
      {l.stale ? " (stale)" : ""}
    </td>
  );
}

/**
 * Connections are account-global: one row per account, with the Region whose endpoint listed them
 * (the next configured Region answers when one fails).
 */
export function AccountHealth({ accounts, now }: { accounts: AccountSummary[]; now: number }) {
  return (
    <DataTable
      testId="account-health"
      columns={["Account", "Reached with", "Listed through", "State", { label: "Available", align: "right" }, { label: "Pending", align: "right" }, { label: "Error", align: "right" }, "Data as of"]}
    >
      <tbody className="divide-y divide-border">
        {accounts.map((a) => (
          <tr key={a.account} data-account={a.account}>
            <td className="px-3 py-2">
              <Link className="font-mono text-xs hover:underline" href={`/connections?account=${a.account}`}>
                {a.account}
              </Link>
            </td>
            <td className="px-3 py-2 text-muted">{a.viaRole ? "assumed role" : "default credentials"}</td>
            <td className="px-3 py-2" data-testid="answered-by">
              {a.answeredBy ?? <span className="text-muted">—</span>}
              {a.ok && a.failedRegions.length ? (
                <span className="block text-xs text-pending" title={a.failedRegions.map((f) => f.message).join("\n")} data-testid="failed-over">
                  {a.failedRegions.map((f) => f.region).join(", ")} failed; listed through {a.answeredBy}
                </span>
              ) : null}
              {a.unwatchedHomeRegions.length ? (
                <span className="block text-xs text-muted" title="Connections were created in these Regions; no scope lists their hosts or pipelines there.">
                  home Regions not watched: {a.unwatchedHomeRegions.join(", ")}
                </span>
              ) : null}
            </td>
            <td className="px-3 py-2">
              <State l={a} />
            </td>
            {(["AVAILABLE", "PENDING", "ERROR"] as const).map((st) => (
              <td key={st} className="px-3 py-2 text-right tabular-nums" data-count={st}>
                {a.byStatus[st] ?? 0}
              </td>
            ))}
            <AsOf l={a} now={now} />
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

/** Hosts and pipelines are regional: one row per account × Region. */
export function ScopeHealth({ scopes, now }: { scopes: ScopeSummary[]; now: number }) {
  return (
    <DataTable
      testId="scope-health"
      columns={[
        "Scope",
        "Reached with",
        "Hosts listing",
        { label: "Hosts", align: "right" },
        { label: "Pipelines", align: "right", title: "Pipelines mapped in this account and Region" },
        { label: "Connections created here", align: "right", title: "Connections whose home Region this is (they are listed with their account)" },
        "Data as of",
      ]}
    >
      <tbody className="divide-y divide-border">
        {scopes.map((s) => (
          <tr key={s.key} data-scope={s.key}>
            <td className="px-3 py-2">
              <Link className="font-mono text-xs hover:underline" href={`/pipelines?account=${s.account}&region=${s.region}`}>
                {s.key}
              </Link>
            </td>
            <td className="px-3 py-2 text-muted">{s.viaRole ? "assumed role" : "default credentials"}</td>
            <td className="px-3 py-2">
              <State l={s} />
            </td>
            <td className="px-3 py-2 text-right tabular-nums" data-count="hosts">
              {s.hosts}
            </td>
            <td className="px-3 py-2 text-right tabular-nums" data-count="pipelines">
              {s.pipelines ?? <span className="text-muted" title="not mapped yet">—</span>}
            </td>
            <td className="px-3 py-2 text-right tabular-nums" data-count="home-connections">
              <Link className="hover:underline" href={`/connections?account=${s.account}&region=${s.region}`}>
                {s.homeConnections}
              </Link>
            </td>
            <AsOf l={s} now={now} />
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
