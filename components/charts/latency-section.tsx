import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/lib/utils";
import { LatencyPanel } from "./latency-panel";

const RANGE_LABELS = ["1h", "6h", "24h", "7d"] as const;

export interface LatencySectionProps {
  title: string;
  description: string;
  range: string;
  rangeHref: (range: string) => string;
  view: { points: Parameters<typeof LatencyPanel>[0]["points"]; sloMs: number; error: string | null; periodSeconds: number; startMs: number; endMs: number };
  fileName: string;
}

/** A latency chart card: the range switch (links, so a view can be shared) and the panel. */
export function LatencySection({ title, description, range, rangeHref, view, fileName }: LatencySectionProps) {
  return (
    <Card aria-labelledby="latency-title" id="latency">
      <CardHeader
        id="latency-title"
        title={title}
        description={`${description} Periods of ${view.periodSeconds / 60} min.`}
        actions={
          <nav aria-label="Time range" className="flex overflow-hidden rounded-md border border-border text-xs">
            {RANGE_LABELS.map((r) => (
              <Link key={r} href={rangeHref(r)} aria-current={r === range ? "true" : undefined} className={cn("px-2.5 py-1", r === range ? "bg-accent text-accent-fg" : "hover:bg-surface-2")}>
                {r}
              </Link>
            ))}
          </nav>
        }
      />
      <LatencyPanel points={view.points} sloSeconds={view.sloMs / 1000} startMs={view.startMs} endMs={view.endMs} periodMs={view.periodSeconds * 1000} error={view.error} fileName={fileName} />
    </Card>
  );
}
