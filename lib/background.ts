import "server-only";
import { deliverNotifications } from "@/lib/alerts/deliver";
import { evaluateAlerts, recordJobRun } from "@/lib/alerts/evaluate";
import { JOBS } from "@/lib/alerts/rules";
import { closeRefusalBursts } from "@/lib/data/refusals";
import { env } from "@/lib/env";
import { getInventory } from "@/lib/fleet/inventory";
import { latencyCycle } from "@/lib/latency/engine";
import { sweepExecutions, syncPipelineMap } from "@/lib/pipelines/map";
import { singleton } from "@/lib/singleton";
import { resumeActiveWatches } from "@/lib/watch/watcher";

/**
 * Background work started from instrumentation.ts, every TETHER_POLL_INTERVAL_SECONDS: the
 * status poller relists every account's connections and every scope's hosts (the listing records history — first seen, status changes,
 * deletions — from complete listings only), the pipeline map is brought up to date, and the
 * execution sweep reads new executions of the SWEEP_BATCH least recently swept pipelines. Every
 * LATENCY_EVERY_MS the latency cycle joins pushes with starts, finds missed triggers and
 * publishes metrics. The alert rules are evaluated right after each poll and each latency cycle
 * (lib/alerts/evaluate.ts), and due notifications are sent after each latency cycle.
 * Writes are idempotent, so two replicas may both run.
 * TETHER_BACKGROUND=off starts none of it.
 */
/** Pipelines whose execution history one poll reads (bounded cost per poll). */
export const SWEEP_BATCH = 100;
/** The latency cycle (commits of new starts, the join, missed triggers, metric publishing). */
export const LATENCY_EVERY_MS = 5_000;

export interface Background {
  stop(): void;
}

export function startBackground(): Background {
  return singleton("background", () => {
    const timers: ReturnType<typeof setTimeout>[] = [];
    resumeActiveWatches()
      .then((resumed) => {
        if (resumed) console.log(`[tether] resumed ${resumed} watch(es) left running`);
      })
      .catch((e: unknown) => console.error("[tether] resuming watches failed", e));
    // Refusal summaries of a minute that ended while the server was down.
    closeRefusalBursts().catch((e: unknown) => console.error("[tether] closing refusal bursts failed", e));
    if (!env().TETHER_BACKGROUND) {
      console.log("[tether] background work is off (TETHER_BACKGROUND=off)");
      return { stop: () => undefined };
    }
    const intervalMs = env().TETHER_POLL_INTERVAL_SECONDS * 1000;
    let running = false;
    const poll = async () => {
      if (running) return; // a slow poll is never overlapped by the next
      running = true;
      let error: string | null = null;
      try {
        const inv = await getInventory({ refresh: true });
        const failing = [...inv.accounts.filter((a) => a.error).map((a) => `connections of ${a.account} (${a.error?.message})`), ...inv.scopes.filter((s) => s.error).map((s) => `hosts of ${s.key} (${s.error?.message})`)];
        if (failing.length) console.warn(`[tether] poll: ${failing.length} of ${inv.accounts.length + inv.scopes.length} listings failed: ${failing.join("; ")}`);
        const map = await syncPipelineMap({ refresh: true });
        for (const m of map.filter((x) => x.error)) console.warn(`[tether] pipeline map: ${m.error}`);
        const sweep = await sweepExecutions(SWEEP_BATCH);
        for (const e of sweep.errors.slice(0, 5)) console.warn(`[tether] sweep: ${e}`);
      } catch (e) {
        console.error("[tether] poll failed", e);
        error = e instanceof Error ? e.message : String(e);
      } finally {
        running = false;
      }
      // The poll completed (the "poller late" alert watches this), then its alerts, right after it.
      await recordJobRun(JOBS.poller, error);
      const changes = await evaluateAlerts("poll");
      if (changes && (changes.fire.length || changes.renotify.length || changes.resolve.length)) void deliverNotifications();
    };
    const first = setTimeout(() => void poll(), 2_000);
    const every = setInterval(() => void poll(), intervalMs);
    let latencyRunning = false;
    const latency = setInterval(() => {
      if (latencyRunning) return;
      latencyRunning = true;
      latencyCycle()
        .catch((e: unknown) => console.error("[tether] latency cycle failed", e))
        // Its alerts right after it (they also watch the poller), then whatever is due to send
        // (retries of earlier notifications wait for no new transition), without holding the cycle.
        .then(() => evaluateAlerts("cycle"))
        .then(() => {
          void deliverNotifications();
        })
        .catch((e: unknown) => console.error("[tether] alerts after the latency cycle failed", e))
        .finally(() => {
          latencyRunning = false;
        });
    }, LATENCY_EVERY_MS);
    for (const t of [first, every, latency]) t.unref?.();
    timers.push(first, every, latency);
    return {
      stop: () => {
        for (const t of timers) clearTimeout(t);
      },
    };
  });
}
