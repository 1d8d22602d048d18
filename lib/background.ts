import "server-only";
import { env } from "@/lib/env";
import { getInventory } from "@/lib/fleet/inventory";
import { singleton } from "@/lib/singleton";
import { resumeActiveWatches } from "@/lib/watch/watcher";

/**
 * Background work started from instrumentation.ts. The status poller relists every scope each
 * TETHER_POLL_INTERVAL_SECONDS; the listing records history (first seen, status changes,
 * deletions) from complete listings only. Writes are idempotent, so two replicas may both run.
 * TETHER_BACKGROUND=off starts none of it.
 */
export interface Background {
  stop(): void;
}

export function startBackground(): Background {
  return singleton("background", () => {
    const timers: ReturnType<typeof setTimeout>[] = [];
    const resumed = resumeActiveWatches();
    if (resumed) console.log(`[tether] resumed ${resumed} watch(es) left running`);
    if (!env().TETHER_BACKGROUND) {
      console.log("[tether] background work is off (TETHER_BACKGROUND=off)");
      return { stop: () => undefined };
    }
    const intervalMs = env().TETHER_POLL_INTERVAL_SECONDS * 1000;
    let running = false;
    const poll = async () => {
      if (running) return; // a slow poll is never overlapped by the next
      running = true;
      try {
        const inv = await getInventory({ refresh: true });
        const failing = inv.scopes.filter((s) => s.error);
        if (failing.length) console.warn(`[tether] poll: ${failing.length} of ${inv.scopes.length} scopes failed: ${failing.map((s) => `${s.key} (${s.error?.message})`).join("; ")}`);
      } catch (e) {
        console.error("[tether] poll failed", e);
      } finally {
        running = false;
      }
    };
    const first = setTimeout(() => void poll(), 2_000);
    const every = setInterval(() => void poll(), intervalMs);
    first.unref?.();
    every.unref?.();
    timers.push(first, every);
    return {
      stop: () => {
        for (const t of timers) clearTimeout(t);
      },
    };
  });
}
