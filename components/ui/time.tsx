import { relativeTime, utcTime } from "@/lib/labels";

/** A time shown relative to the render ("3 min ago"), with the exact UTC time on hover. */
export function Time({ iso, now, className }: { iso: string; now?: number; className?: string }) {
  return (
    <time dateTime={iso} title={utcTime(iso)} className={className}>
      {relativeTime(iso, now)}
    </time>
  );
}
