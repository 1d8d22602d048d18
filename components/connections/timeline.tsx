import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { utcTime } from "@/lib/labels";
import type { HistoryEntry } from "@/lib/types";

/** Status history, newest first: what Tether saw change, from complete listings only. */
export function Timeline({ entries }: { entries: Pick<HistoryEntry, "seq" | "fromStatus" | "toStatus" | "at" | "initial">[] }) {
  if (entries.length === 0) return <EmptyState title="No history yet">Tether records a status the first time it lists this scope completely.</EmptyState>;
  return (
    <ol className="space-y-3 px-4 py-4 text-sm" data-testid="timeline">
      {[...entries].reverse().map((e) => (
        <li key={e.seq} className="flex items-start gap-3">
          <span aria-hidden className="mt-1.5 size-2 shrink-0 rounded-full bg-border" />
          <span>
            {e.fromStatus === null ? (
              <>
                {e.initial ? "Found" : "First seen"} <StatusBadge status={e.toStatus} />
              </>
            ) : e.toStatus === "DELETED" ? (
              <>Deleted (was {e.fromStatus})</>
            ) : e.fromStatus === "DELETED" ? (
              <>
                Reappeared <StatusBadge status={e.toStatus} />
              </>
            ) : (
              <>
                <StatusBadge status={e.fromStatus} /> → <StatusBadge status={e.toStatus} />
              </>
            )}
            <span className="block text-xs text-muted">{utcTime(e.at)}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}
