import Link from "next/link";
import { Time } from "@/components/ui/time";

/** "Data as of 2 min ago · Refresh": the refresh link bypasses the list cache for this view. */
export function Freshness({ generatedAt, refreshHref, now }: { generatedAt: string; refreshHref: string; now: number }) {
  return (
    <p className="flex items-center gap-2 text-xs text-muted">
      <span>
        Listed <Time iso={generatedAt} now={now} />
      </span>
      <span aria-hidden>·</span>
      <Link href={refreshHref} prefetch={false} className="rounded border border-border px-2 py-0.5 hover:bg-surface-2 hover:text-fg">
        ↻ Refresh
      </Link>
    </p>
  );
}
