"use client";

import dynamic from "next/dynamic";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import type { ChartPoint } from "./period-rows";

// Recharts is loaded only where a chart is shown, and only in the browser.
const LatencyChart = dynamic(() => import("./latency-chart"), { ssr: false, loading: () => <Skeleton className="h-72 w-full md:h-80" /> });

function csv(points: ChartPoint[]): string {
  const rows = points.map((p) => [new Date(p.t).toISOString(), p.p50, p.p90, p.p99, p.max, p.samples, p.missed].map((v) => (v === null ? "" : String(v))).join(","));
  return ["time,p50_ms,p90_ms,p99_ms,max_ms,samples,missed_triggers", ...rows].join("\r\n") + "\r\n";
}

/** The chart with its four states: loading (the chart module), error, empty, content — and a CSV of what is shown. */
export function LatencyPanel({ points, sloSeconds, startMs, endMs, periodMs, error, fileName }: { points: ChartPoint[]; sloSeconds: number; startMs: number; endMs: number; periodMs: number; error: string | null; fileName: string }) {
  if (error) return <Alert tone="error" className="m-4" title="Latency could not be read from CloudWatch">{error}</Alert>;
  if (points.length === 0) return <EmptyState title="No samples in this range">A sample is recorded when a push Tether received starts a pipeline; missed triggers show here as bars.</EmptyState>;
  const download = () => {
    const url = URL.createObjectURL(new Blob([csv(points)], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = fileName;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div className="space-y-2 p-4">
      <LatencyChart points={points} sloSeconds={sloSeconds} startMs={startMs} endMs={endMs} periodMs={periodMs} />
      <div className="flex justify-end">
        <Button type="button" variant="ghost" onClick={download} data-testid="latency-csv">
          Download CSV
        </Button>
      </div>
    </div>
  );
}
