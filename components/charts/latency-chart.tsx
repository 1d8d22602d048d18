"use client";

import { useEffect, useRef, useState } from "react";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis, type DotItemDotProps } from "recharts";
import { coverage, isLone, isSparse, nearestWithValue, periodRows, type ChartPoint, type Row, type SeriesKey } from "./period-rows";
import { tickStep, timeTicks } from "./ticks";

const SERIES: { key: SeriesKey; color: string; dash?: string }[] = [
  { key: "p50", color: "var(--status-available)" },
  { key: "p90", color: "var(--accent)" },
  { key: "p99", color: "var(--status-pending)" },
  { key: "max", color: "var(--muted)", dash: "4 3" },
];
/** The series' colours as classes, for the phone's tooltip (markup of ours: no inline styles, docs/architecture.md). */
const SERIES_TEXT: Record<SeriesKey, string> = { p50: "text-available", p90: "text-accent", p99: "text-pending", max: "text-muted" };
const LEGEND_ORDER = ["p50", "p90", "p99", "max", "missed triggers"];
/** Below this width (px) the chart is drawn for a phone: smaller type, narrower axes, bigger dots to touch. */
const NARROW = 480;
/** How far from a dot (px) a tap on a phone still shows that dot's values: about half a fingertip. */
const FINGER_PX = 20;
/** The y axes' widths (latency left, missed triggers right) and the type size. */
const axisFor = (narrow: boolean) => (narrow ? { left: 44, right: 28, font: 11 } : { left: 60, right: 60, font: 12 });

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

const utc = (t: number) => `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/**
 * The tooltip on a phone: the values of the period under the finger or, when it has none, of the
 * nearest period that has within `reach` periods (said so, with that period's time), or that there
 * is no sample there; a tap always answers. Recharts passes `active` and `label` (the period's time).
 */
function TouchTooltip({ rows, reach, active, label }: { rows: Row[]; reach: number; active?: boolean; label?: unknown }) {
  if (!active || typeof label !== "number") return null;
  const index = rows.findIndex((r) => r.t === label);
  const shown = index < 0 ? null : nearestWithValue(rows, index, reach);
  const row = shown === null ? null : rows[shown]!;
  return (
    <div className="max-w-56 rounded border border-border bg-surface px-2 py-1 text-xs text-fg shadow-sm" data-testid="chart-tooltip">
      <p className="font-medium">{utc(row?.t ?? label)}</p>
      {row === null ? (
        <p className="text-muted">No sample near here</p>
      ) : (
        <>
          {shown !== index ? <p className="text-muted">nearest sample</p> : null}
          <ul>
            {SERIES.filter(({ key }) => row[key] !== null).map(({ key }) => (
              <li key={key} className={SERIES_TEXT[key]}>
                {key}: {row[key]} s
              </li>
            ))}
            {(row.missed ?? 0) > 0 ? <li className="text-error">missed triggers: {row.missed}</li> : null}
          </ul>
        </>
      )}
    </div>
  );
}

/**
 * p50 / p90 / p99 / max push-to-start latency (seconds, left axis) with missed triggers as bars
 * (count, right axis) on the same time axis, and the SLO as a reference line. Drawn only in the
 * browser (Recharts); the page loads this module only where a chart is shown.
 */
export default function LatencyChart({ points, sloSeconds, startMs, endMs, periodMs }: { points: ChartPoint[]; sloSeconds: number; startMs: number; endMs: number; periodMs: number }) {
  const box = useRef<HTMLDivElement>(null);
  // What the width decides (phone layout, tick step), kept as state so that a resize re-renders
  // the chart only when one of them changes; until measured, the desktop's.
  // `reach`: how many periods a fingertip spans, for the phone's tooltip.
  const [fit, setFit] = useState(() => ({ narrow: false, step: tickStep(startMs, endMs, Number.POSITIVE_INFINITY), reach: 0 }));
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => {
      const narrow = el.clientWidth < NARROW;
      const a = axisFor(narrow);
      const plotWidth = el.clientWidth - a.left - a.right - 16;
      const step = tickStep(startMs, endMs, plotWidth);
      const periods = Math.max(1, Math.round((endMs - startMs) / periodMs));
      const reach = narrow && plotWidth > 0 ? Math.ceil(FINGER_PX / (plotWidth / periods)) : 0;
      setFit((f) => (f.narrow === narrow && f.step === step && f.reach === reach ? f : { narrow, step, reach }));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    measure();
    return () => observer.disconnect();
  }, [startMs, endMs, periodMs]);
  const { narrow } = fit;
  const axis = axisFor(narrow);
  const spanMs = endMs - startMs;
  const rows = periodRows(points, startMs, endMs, periodMs);
  const ticks = timeTicks(startMs, endMs, fit.step);
  const sparse = isSparse(rows, "p50");
  const cover = coverage(rows, "p50");
  return (
    <figure className="w-full">
      <div ref={box} className="h-72 w-full md:h-80" data-testid="latency-chart" data-sparse={sparse ? "true" : "false"} data-ticks={ticks.length}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 8, right: narrow ? 4 : 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="t" type="number" scale="time" domain={[startMs, endMs]} ticks={ticks} allowDataOverflow tickFormatter={(t: number) => tickLabel(t, spanMs)} stroke="var(--muted)" fontSize={axis.font} />
            <YAxis yAxisId="s" stroke="var(--muted)" fontSize={axis.font} unit=" s" width={axis.left} />
            <YAxis yAxisId="n" orientation="right" stroke="var(--status-error)" fontSize={axis.font} allowDecimals={false} width={axis.right} />
            {narrow ? (
              <Tooltip
                // The whole plot is the hit area (a tap or a drag anywhere shows that period); the
                // line under the finger marks which one. Empty periods are kept in the payload
                // (filterNull off) so that TouchTooltip answers a tap beside a dot too.
                cursor={{ stroke: "var(--muted)", strokeWidth: 1 }}
                filterNull={false}
                content={<TouchTooltip rows={rows} reach={fit.reach} />}
              />
            ) : (
              <Tooltip
                contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", color: "var(--fg)" }}
                labelFormatter={(t) => utc(Number(t))}
                formatter={(v, name) => (name === "missed triggers" || name === "samples" ? [v, name] : [`${v} s`, name])}
              />
            )}
            <Legend itemSorter={(item) => LEGEND_ORDER.indexOf(String(item.value))} wrapperStyle={narrow ? { fontSize: 12 } : undefined} />
            <Bar yAxisId="n" dataKey="missed" name="missed triggers" fill="var(--status-error)" opacity={0.6} minPointSize={0} isAnimationActive={false} />
            {sparse
              ? SERIES.map(({ key, color }) => (
                  // The join across empty periods: dotted, faint, not in the legend or the tooltip.
                  <Line key={`${key}-join`} yAxisId="s" type="linear" dataKey={key} stroke={color} strokeOpacity={0.45} strokeDasharray="1 4" connectNulls dot={false} activeDot={false} legendType="none" tooltipType="none" isAnimationActive={false} className="latency-join" />
                ))
              : null}
            {SERIES.map(({ key, color, dash }) => (
              <Line key={key} yAxisId="s" type="linear" dataKey={key} name={key} stroke={color} strokeDasharray={dash} dot={valueDot(rows, key, color, sparse)} activeDot={{ r: narrow ? 6 : 4 }} isAnimationActive={false} />
            ))}
            <ReferenceLine yAxisId="s" y={sloSeconds} stroke="var(--status-error)" strokeDasharray="6 4" label={{ value: `SLO ${sloSeconds} s`, position: "insideTopRight", fill: "var(--status-error)", fontSize: axis.font }} />
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
