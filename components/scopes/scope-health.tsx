import Link from "next/link";
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
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="scope-health">
        <thead className="border-b border-border bg-surface-2 text-xs text-muted">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-medium">Scope</th>
            <th scope="col" className="px-3 py-2 text-left font-medium">Reached with</th>
            <th scope="col" className="px-3 py-2 text-left font-medium">State</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Available</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Pending</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Error</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Hosts</th>
            <th scope="col" className="px-3 py-2 text-left font-medium">Data as of</th>
          </tr>
        </thead>
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
      </table>
    </div>
  );
}
