"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis, type DotItemDotProps } from "recharts";
import { coverage, isLone, isSparse, periodRows, type ChartPoint, type Row, type SeriesKey } from "./period-rows";

const SERIES: { key: SeriesKey; color: string; dash?: string }[] = [
  { key: "p50", color: "var(--status-available)" },
  { key: "p90", color: "var(--accent)" },
  { key: "p99", color: "var(--status-pending)" },
  { key: "max", color: "var(--muted)", dash: "4 3" },
];
const LEGEND_ORDER = ["p50", "p90", "p99", "max", "missed triggers"];
const HOUR = 3_600_000;
/** Tick spacing per range, so ticks fall on round times. */
const TICK_STEPS: [spanMs: number, stepMs: number][] = [
  [HOUR, 10 * 60_000],
  [6 * HOUR, HOUR],
  [24 * HOUR, 3 * HOUR],
  [Number.POSITIVE_INFINITY, 24 * HOUR],
];

function tickLabel(t: number, spanMs: number): string {
  const d = new Date(t);
  const hm = `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
  return spanMs > 2 * 86_400_000 ? `${d.getUTCMonth() + 1}/${d.getUTCDate()}` : hm;
}

/**
 * A dot where a value has no neighbour to draw a line to (a lone sample stays visible), or on every
 * value of a sparse series (its values are joined by a dotted line, the dots say where they are).
 */
function valueDot(rows: Row[], key: SeriesKey, color: string, everyValue: boolean) {
  return function ValueDot(props: DotItemDotProps) {
    const { index, cx, cy } = props;
    const show = everyValue ? rows[index]?.[key] !== null && rows[index]?.[key] !== undefined : isLone(rows, index, key);
    if (!show || cx === undefined || cy === undefined) return <g key={`${key}-${index}`} />;
    return <circle key={`${key}-${index}`} className="recharts-dot recharts-line-dot" cx={cx} cy={cy} r={everyValue ? 2.5 : 3} fill={color} />;
  };
}

/**
 * p50 / p90 / p99 / max push-to-start latency (seconds, left axis) with missed triggers as bars
 * (count, right axis) on the same time axis, and the SLO as a reference line. Drawn only in the
 * browser (Recharts); the page loads this module only where a chart is shown.
 */
export default function LatencyChart({ points, sloSeconds, startMs, endMs, periodMs }: { points: ChartPoint[]; sloSeconds: number; startMs: number; endMs: number; periodMs: number }) {
  const spanMs = endMs - startMs;
  const rows = periodRows(points, startMs, endMs, periodMs);
  const step = (TICK_STEPS.find(([span]) => spanMs <= span) ?? TICK_STEPS[TICK_STEPS.length - 1])?.[1] ?? HOUR;
  const ticks: number[] = [];
  for (let t = Math.ceil(startMs / step) * step; t <= endMs; t += step) ticks.push(t);
  const sparse = isSparse(rows, "p50");
  const cover = coverage(rows, "p50");
  return (
    <figure className="w-full">
      <div className="h-80 w-full" data-testid="latency-chart" data-sparse={sparse ? "true" : "false"}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="t" type="number" scale="time" domain={[startMs, endMs]} ticks={ticks} allowDataOverflow tickFormatter={(t: number) => tickLabel(t, spanMs)} stroke="var(--muted)" fontSize={12} />
            <YAxis yAxisId="s" stroke="var(--muted)" fontSize={12} unit=" s" />
            <YAxis yAxisId="n" orientation="right" stroke="var(--status-error)" fontSize={12} allowDecimals={false} />
            <Tooltip
              contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", color: "var(--fg)" }}
              labelFormatter={(t) => `${new Date(Number(t)).toISOString().slice(0, 16).replace("T", " ")} UTC`}
              formatter={(v, name) => (name === "missed triggers" || name === "samples" ? [v, name] : [`${v} s`, name])}
            />
            <Legend itemSorter={(item) => LEGEND_ORDER.indexOf(String(item.value))} />
            <Bar yAxisId="n" dataKey="missed" name="missed triggers" fill="var(--status-error)" opacity={0.6} minPointSize={0} isAnimationActive={false} />
            {sparse
              ? SERIES.map(({ key, color }) => (
                  // The join across empty periods: dotted, faint, not in the legend or the tooltip.
                  <Line key={`${key}-join`} yAxisId="s" type="linear" dataKey={key} stroke={color} strokeOpacity={0.45} strokeDasharray="1 4" connectNulls dot={false} activeDot={false} legendType="none" tooltipType="none" isAnimationActive={false} className="latency-join" />
                ))
              : null}
            {SERIES.map(({ key, color, dash }) => (
              <Line key={key} yAxisId="s" type="linear" dataKey={key} name={key} stroke={color} strokeDasharray={dash} dot={valueDot(rows, key, color, sparse)} activeDot={{ r: 4 }} isAnimationActive={false} />
            ))}
            <ReferenceLine yAxisId="s" y={sloSeconds} stroke="var(--status-error)" strokeDasharray="6 4" label={{ value: `SLO ${sloSeconds} s`, position: "insideTopRight", fill: "var(--status-error)", fontSize: 12 }} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 text-xs text-muted" data-testid="latency-coverage">
        {cover.samples} sample{cover.samples === 1 ? "" : "s"} in CloudWatch over this range; {cover.withValue} of {cover.periods} periods have one.
        {sparse ? " Dotted lines join periods with samples across the empty ones between them." : null}
      </figcaption>
    </figure>
  );
}
