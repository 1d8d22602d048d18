import Link from "next/link";
import { CARD_CELL, CARD_GRID, DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { Time } from "@/components/ui/time";
import type { MissedTriggerRow } from "@/lib/types";
import { cn } from "@/lib/utils";

export type MissedRow = MissedTriggerRow;

/**
 * Missed triggers (and pushes whose filters could not be evaluated), with the push and the pipeline.
 * Below md each row is a card: the push and its state, then the pipeline and why, whole lines (as a
 * table scrolled sideways, the reason squeezed into its narrowest column made each row a screen tall).
 */
export function MissedTable({ rows, now, showPipeline = true }: { rows: MissedRow[]; now: number; showPipeline?: boolean }) {
  if (rows.length === 0)
    return (
      <EmptyState title="No missed triggers in the last 7 days">
        This lists the pushes this Tether received and judged. The chart&apos;s bars are CloudWatch&apos;s MissedTrigger metric, which can also hold earlier ones.
      </EmptyState>
    );
  return (
    <DataTable testId="missed-table" cards columns={["Push", ...(showPipeline ? ["Pipeline"] : []), "State", "Why"]}>
      <tbody className="divide-y divide-border">
        {rows.map((m) => (
          <tr key={`${m.pushId}/${m.account}/${m.region}/${m.pipeline}`} data-missed-sha={m.push.sha} className={cn("align-top", CARD_GRID)}>
            <td className={cn("px-3 py-2 text-xs max-md:min-w-0 max-md:wrap-anywhere", CARD_CELL)}>
              <span className="font-mono">{m.push.sha.slice(0, 10)}</span> → {m.push.repository}@{m.push.branch}
              <span className="block text-muted">
                <Time iso={m.push.pushedAt} now={now} /> · {m.push.provider} delivery {m.push.deliveryId.slice(0, 8)}
              </span>
            </td>
            {showPipeline ? (
              <td className={cn("px-3 py-2 text-xs max-md:col-span-2", CARD_CELL)}>
                <Link className="hover:underline max-md:font-medium" href={`/pipelines/${m.account}/${m.region}/${encodeURIComponent(m.pipeline)}`}>
                  {m.pipeline}
                </Link>
                <span className="block text-muted">
                  {m.account}/{m.region}
                </span>
              </td>
            ) : null}
            <td className={cn("px-3 py-2 text-xs max-md:col-start-2 max-md:row-start-1", CARD_CELL)}>
              <span className={m.state === "missed" ? "rounded-full bg-error-bg px-2 py-0.5 font-medium text-error" : "rounded-full bg-pending-bg px-2 py-0.5 font-medium text-pending"}>{m.state}</span>
            </td>
            <td className={cn("max-w-md px-3 py-2 text-xs text-muted max-md:col-span-2 max-md:max-w-none", CARD_CELL)}>{m.reason}</td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
