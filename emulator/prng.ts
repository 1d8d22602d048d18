import { hash } from "node:crypto";

/**
 * mulberry32 seeded by a hash of `seed`: deterministic and fast. The fixtures draw their
 * histories from it and the push simulator its picks and default delays, so the same seed gives
 * the same numbers on every run.
 */
export function prng(seed: string): () => number {
  let a = hash("sha256", seed, "buffer").readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
