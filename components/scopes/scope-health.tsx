import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { Time } from "@/components/ui/time";

export interface ScopeHealthRow {
  key: string;
  account: string;
  region: string;
  viaRole: boolean;
  ok: boolean;
  error: string | null;
  asOf: string | null;
  stale: boolean;
  connections: number;
  hosts: number;
  byStatus: Record<string, number>;
}

export function ScopeHealth({ scopes, now }: { scopes: ScopeHealthRow[]; now: number }) {
  return (
    <DataTable testId="scope-health" columns={["Scope", "Reached with", "State", { label: "Available", align: "right" }, { label: "Pending", align: "right" }, { label: "Error", align: "right" }, { label: "Hosts", align: "right" }, "Data as of"]}>
      <tbody className="divide-y divide-border">
        {scopes.map((s) => (
          <tr key={s.key} data-scope={s.key}>
            <td className="px-3 py-2">
              <Link className="font-mono text-xs hover:underline" href={`/connections?account=${s.account}&region=${s.region}`}>
                {s.key}
              </Link>
            </td>
            <td className="px-3 py-2 text-muted">{s.viaRole ? "assumed role" : "default credentials"}</td>
            <td className="px-3 py-2">
              {s.ok ? (
                <span className="text-available">reachable</span>
              ) : (
                <span className="text-error" title={s.error ?? undefined}>
                  error: {s.error}
                </span>
              )}
            </td>
            {(["AVAILABLE", "PENDING", "ERROR"] as const).map((st) => (
              <td key={st} className="px-3 py-2 text-right tabular-nums" data-count={st}>
                {s.byStatus[st] ?? 0}
              </td>
            ))}
            <td className="px-3 py-2 text-right tabular-nums">{s.hosts}</td>
            <td className="px-3 py-2 whitespace-nowrap text-muted">
              {s.asOf ? <Time iso={s.asOf} now={now} /> : "never"}
              {s.stale ? " (stale)" : ""}
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
