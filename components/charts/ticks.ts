/**
 * Time-axis ticks that fall on round times and never crowd: the step is the range's usual one
 * (10 min over an hour … a day over a week), or a coarser round step where the plot is too narrow
 * for that many labels (a phone).
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Round steps, finest first. */
export const TICK_STEPS = [10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 3 * DAY];

/** The usual step per range: [longest span, step]. */
const USUAL_STEPS: [spanMs: number, stepMs: number][] = [
  [HOUR, 10 * MINUTE],
  [6 * HOUR, HOUR],
  [24 * HOUR, 3 * HOUR],
  [Number.POSITIVE_INFINITY, DAY],
];

/** Room one label needs on the axis, in px ("00:00" at 11–12 px, and space around it). */
export const TICK_SPACING_PX = 56;

/**
 * The step for [startMs, endMs] drawn `plotWidthPx` wide: the usual one, or the first round step
 * that leaves room for each label; an axis keeps at least two ticks (the coarsest step that has
 * them, however narrow the plot).
 */
export function tickStep(startMs: number, endMs: number, plotWidthPx: number): number {
  const usual = USUAL_STEPS.find(([span]) => endMs - startMs <= span)?.[1] ?? DAY;
  const fit = Math.max(2, Math.floor(plotWidthPx / TICK_SPACING_PX));
  const candidates = TICK_STEPS.filter((step) => step >= usual && timeTicks(startMs, endMs, step).length >= 2);
  return candidates.find((step) => timeTicks(startMs, endMs, step).length <= fit) ?? candidates.at(-1) ?? usual;
}

/** Ticks at every multiple of `stepMs` (UTC) within [startMs, endMs]. */
export function timeTicks(startMs: number, endMs: number, stepMs: number): number[] {
  const ticks: number[] = [];
  for (let t = Math.ceil(startMs / stepMs) * stepMs; t <= endMs; t += stepMs) ticks.push(t);
  return ticks;
}
