import { relative } from "node:path";
import { BaseSequencer } from "vitest/node";

/**
 * The order `npm test` runs the unit and contract files in, as one Vitest run on every core: the
 * longest file first, whichever project it belongs to. Vitest's own order runs one project after
 * the other (contract, then unit), so the longest unit file (the PostgreSQL store suite, 40 s of a
 * run of about two minutes) started last and ran alone on one core at the end. Durations are those
 * of the last run (Vitest's cache in node_modules/.vite); a file that failed last time, or that
 * has no duration yet, still goes first, as in Vitest's own order, and then larger files before
 * smaller ones.
 */
export default class LongestFirst extends BaseSequencer {
  /** @param {import("vitest/node").TestSpecification[]} files */
  async sort(files) {
    const cache = this.ctx.cache;
    const root = this.ctx.config.root;
    /** @param {import("vitest/node").TestSpecification} f */
    const key = (f) => `${f.project.name}:${relative(root, f.moduleId)}`;
    return [...files].sort((a, b) => {
      const [ra, rb] = [cache.getFileTestResults(key(a)), cache.getFileTestResults(key(b))];
      if (!ra || !rb) {
        if (ra || rb) return ra ? 1 : -1;
        return (cache.getFileStats(key(b))?.size ?? 0) - (cache.getFileStats(key(a))?.size ?? 0);
      }
      if (ra.failed !== rb.failed) return ra.failed ? -1 : 1;
      return rb.duration - ra.duration;
    });
  }
}
