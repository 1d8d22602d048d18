import "server-only";
import { deliverNotifications } from "@/lib/alerts/deliver";
import { evaluateAlerts, recordJobRun } from "@/lib/alerts/evaluate";
import { JOBS } from "@/lib/alerts/rules";
import { closeRefusalBursts } from "@/lib/data/refusals";
import { env } from "@/lib/env";
import { getInventory } from "@/lib/fleet/inventory";
import { latencyCycle } from "@/lib/latency/engine";
import { sweepExecutions, syncPipelineMap } from "@/lib/pipelines/map";
import { repeat, type JobStatus, type Repeating } from "@/lib/repeat";
import { singleton } from "@/lib/singleton";
import { resumeActiveWatches } from "@/lib/watch/watcher";

/**
 * Background work started from instrumentation.ts, every TETHER_POLL_INTERVAL_SECONDS: the
 * status poller relists every account's connections and every scope's hosts (the listing records history — first seen, status changes,
 * deletions — from complete listings only), the pipeline map is brought up to date, and the
 * execution sweep reads new executions of the SWEEP_BATCH least recently swept pipelines. Every
 * LATENCY_EVERY_MS the latency cycle joins pushes with starts, finds missed triggers and
 * publishes metrics. The alert rules are evaluated once after each poll and once after each latency
 * cycle (lib/alerts/evaluate.ts), and due notifications are sent after each evaluation
 * (lib/alerts/deliver.ts). Writes are idempotent, so two replicas may both run. Every job is a
 * lib/repeat.ts job: a failing one is tried again with backoff and resumes its pace by itself once a
 * run succeeds.
 * TETHER_BACKGROUND=off starts none of it.
 */
/** Pipelines whose execution history one poll reads (bounded cost per poll). */
export const SWEEP_BATCH = 100;
/** The latency cycle (commits of new starts, the join, missed triggers, metric publishing). */
export const LATENCY_EVERY_MS = 5_000;
/** How often the alert jobs look for a finished poll or latency cycle to follow (an in-memory check). */
export const ALERT_TICK_MS = 1_000;

export interface Background {
  stop(): void;
  /** Each job's health: consecutive failures, since when, the last error. */
  status(): JobStatus[];
}

export function startBackground(): Background {
  return singleton("background", () => {
    const jobs: Repeating[] = [];
    // Start-up work that must happen once: tried again with backoff until it succeeds (a database
    // unreachable at start must not leave watches orphaned until the next restart).
    const untilDone = (name: string, run: () => Promise<unknown>) => {
      const job = repeat(
        name,
        async () => {
          await run();
          job.stop();
        },
        { everyMs: 0, firstAfterMs: 0 },
      );
      jobs.push(job);
    };
    untilDone("resuming watches", async () => {
      const resumed = await resumeActiveWatches();
      if (resumed) console.log(`[tether] resumed ${resumed} watch(es) left running`);
    });
    // Refusal summaries of a minute that ended while the server was down.
    untilDone("closing refusal bursts", closeRefusalBursts);
    if (!env().TETHER_BACKGROUND) {
      console.log("[tether] background work is off (TETHER_BACKGROUND=off)");
      return { stop: () => jobs.forEach((j) => j.stop()), status: () => jobs.map((j) => j.status()) };
    }
    // What the alert jobs have left to do: each poll's and each latency cycle's data is evaluated
    // once (the damping counts evaluations, so evaluating the same data twice would confirm a
    // condition early), and deliveries are sent after each evaluation (retries fall due by then).
    const due = { poll: false, cycle: false, deliver: false };
    // Each job runs again `everyMs` after its last run ended (a slow run is never overlapped), and
    // after a failure sooner-then-later with backoff (lib/repeat.ts).
    jobs.push(
      repeat(
        "poll",
        async () => {
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
            error = e instanceof Error ? e.message : String(e);
            throw e;
          } finally {
            // The poll completed, well or not (the "poller late" alert reads this); its alerts next.
            await recordJobRun(JOBS.poller, error);
            due.poll = true;
          }
        },
        { everyMs: env().TETHER_POLL_INTERVAL_SECONDS * 1000, firstAfterMs: 2_000 },
      ),
      repeat(
        "latency cycle",
        async () => {
          try {
            await latencyCycle();
          } finally {
            due.cycle = true;
          }
        },
        { everyMs: LATENCY_EVERY_MS },
      ),
      // Starts within ALERT_TICK_MS of the run it follows; a failed evaluation stays due and is
      // tried again with backoff.
      repeat(
        "alert evaluation",
        async () => {
          for (const cadence of ["poll", "cycle"] as const) {
            if (!due[cadence]) continue;
            due[cadence] = false;
            try {
              await evaluateAlerts(cadence);
            } catch (e) {
              due[cadence] = true;
              throw e;
            }
            due.deliver = true;
          }
        },
        { everyMs: ALERT_TICK_MS },
      ),
      repeat(
        "notification delivery",
        async () => {
          if (!due.deliver) return;
          due.deliver = false;
          try {
            await deliverNotifications();
          } catch (e) {
            due.deliver = true;
            throw e;
          }
        },
        { everyMs: ALERT_TICK_MS },
      ),
    );
    return { stop: () => jobs.forEach((j) => j.stop()), status: () => jobs.map((j) => j.status()) };
  });
}
