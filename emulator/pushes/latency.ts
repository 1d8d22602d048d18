/**
 * Push-to-pipeline-start latency as the emulator models it, for the demo's history and the push
 * simulator's default delay: a mixture of two log-normals — 95% "normal" deliveries with a
 * median of 4 s (σ 0.6: p90 ≈ 9 s), 5% slow ones with a median of 45 s (σ 0.5) — clamped to
 * 0.8 s … 300 s. Over many samples: p50 ≈ 4 s, p90 ≈ 9–10 s, p99 ≈ 60–90 s.
 */
export const LATENCY_MODEL = {
  medianMs: 4_000,
  sigma: 0.6,
  tailShare: 0.05,
  tailMedianMs: 45_000,
  tailSigma: 0.5,
  minMs: 800,
  maxMs: 300_000,
} as const;

/** A standard normal deviate from two uniform draws (Box–Muller). */
export function standardNormal(r: () => number): number {
  const u1 = 1 - r(); // (0, 1]
  const u2 = r();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** One latency sample in whole milliseconds. `r` is a uniform PRNG on [0, 1). */
export function sampleLatencyMs(r: () => number): number {
  const m = LATENCY_MODEL;
  const tail = r() < m.tailShare;
  const median = tail ? m.tailMedianMs : m.medianMs;
  const sigma = tail ? m.tailSigma : m.sigma;
  const ms = median * Math.exp(sigma * standardNormal(r));
  return Math.round(Math.min(m.maxMs, Math.max(m.minMs, ms)));
}
