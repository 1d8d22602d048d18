import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { deliverNotifications } from "@/lib/alerts/deliver";
import { evaluateAlerts, recordJobRun } from "@/lib/alerts/evaluate";
import { JOBS } from "@/lib/alerts/rules";
import { closeRefusalBursts } from "@/lib/data/refusals";
import { env } from "@/lib/env";
import { scheduledDiscovery } from "@/lib/fleet/discovery";
import { getInventory } from "@/lib/fleet/inventory";
import { latencyCycle } from "@/lib/latency/engine";
import { sweepExecutions, syncPipelineMap } from "@/lib/pipelines/map";
import { repeat, type JobLeases, type JobStatus, type LeaseOptions, type Repeating } from "@/lib/repeat";
import { singleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import { resumeActiveWatches, setWatchesRunHere, stopWatching } from "@/lib/watch/watcher";

/**
 * Background work started from instrumentation.ts, every TETHER_POLL_INTERVAL_SECONDS: the
 * status poller relists every account's connections and every scope's hosts (the listing records history — first seen, status changes,
 * deletions — from complete listings only), the pipeline map is brought up to date, and the
 * execution sweep reads new executions of the SWEEP_BATCH least recently swept pipelines. Every
 * LATENCY_EVERY_MS the latency cycle joins pushes with starts, finds missed triggers and
 * publishes metrics. The alert rules are evaluated once after each poll and once after each latency
 * cycle (lib/alerts/evaluate.ts), on the replica that ran it, and due notifications are sent after
 * each evaluation (lib/alerts/deliver.ts; each notification is claimed by one sender).
 * Each job runs on one replica at a time: it holds the job's lease in the store (lib/repeat.ts),
 * renewed every third of TETHER_LEASE_SECONDS; when that replica dies, another takes the lease once
 * it has expired. The watches are a job too: the replica holding their lease runs every watch,
 * whichever replica started it. A failing job is tried again with backoff and resumes its pace by
 * itself once a run succeeds.
 * With TETHER_ORGANIZATION, the discovery job finds the organization's accounts every
 * TETHER_DISCOVERY_INTERVAL_MINUTES (lib/fleet/discovery.ts).
 * TETHER_BACKGROUND=off starts none of it but the watches and the refusal summaries.
 */
/** Pipelines whose execution history one poll reads (bounded cost per poll). */
export const SWEEP_BATCH = 100;
/** How often the discovery job looks whether a discovery is due (the store says when the last ran, on any replica). */
export const DISCOVERY_CHECK_MS = 60_000;
/** The latency cycle (commits of new starts, the join, missed triggers, metric publishing). */
export const LATENCY_EVERY_MS = 5_000;
/** How often the replica running the watches looks for watches started elsewhere or orphaned. */
export const WATCH_SCAN_EVERY_MS = 2_000;

/** This process among the replicas: what its leases are held under (host, process, and a random part for restarts). */
export function replicaId(): string {
  return singleton("background:replica-id", () => `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`);
}

/** The store's leases, held as this replica. */
function storeLeases(): JobLeases {
  const holder = replicaId();
  return {
    acquire: (name, ttlMs) => {
      const now = Date.now();
      return getStore().leases.acquire(name, holder, new Date(now).toISOString(), new Date(now + ttlMs).toISOString());
    },
    release: (name) => getStore().leases.release(name, holder),
  };
}
/** How often the alert jobs look for a finished poll or latency cycle to follow (an in-memory check). */
export const ALERT_TICK_MS = 1_000;

export interface Background {
  /** Stops every job and hands their leases over; settles once the releases have. */
  stop(): Promise<void>;
  /** Each job's health: consecutive failures, since when, the last error. */
  status(): JobStatus[];
}

function stoppable(jobs: Repeating[]): Background {
  return { stop: async () => void (await Promise.all(jobs.map((j) => j.stop()))), status: () => jobs.map((j) => j.status()) };
}

/**
 * On SIGTERM or SIGINT (a deployment stopping or restarting this replica) the jobs stop and their
 * leases are released at once, so another replica, or this one's successor, takes each job at its
 * next ask instead of a lease's lifetime later (30 s by default, during which nobody polled). The
 * server's own shutdown goes on meanwhile; a release that has not reached the store when the
 * process exits leaves the lease to expire, as if the replica had died.
 */
export function handOverOnShutdown(background: Background, proc: { once(signal: NodeJS.Signals, listener: () => void): unknown } = process): Background {
  const handOver = (signal: string) => {
    void background.stop().then(() => console.log(`[tether] ${signal}: background jobs stopped, leases handed over`));
  };
  proc.once("SIGTERM", () => handOver("SIGTERM"));
  proc.once("SIGINT", () => handOver("SIGINT"));
  return background;
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
          void job.stop();
        },
        { everyMs: 0, firstAfterMs: 0 },
      );
      jobs.push(job);
    };
    const lease = (extra: Partial<LeaseOptions> = {}): LeaseOptions => ({ leases: storeLeases(), ttlMs: env().TETHER_LEASE_SECONDS * 1000, ...extra });
    // Every watch runs on the replica holding this lease: at once the ones a previous process left
    // running, then every few seconds those started on other replicas or left by one that died.
    setWatchesRunHere(false);
    jobs.push(
      repeat(
        "watches",
        async () => {
          const picked = await resumeActiveWatches();
          if (picked) console.log(`[tether] watches: running ${picked} more watch(es) here`);
        },
        {
          everyMs: WATCH_SCAN_EVERY_MS,
          firstAfterMs: 0,
          lease: lease({
            onAcquired: () => setWatchesRunHere(true),
            onLost: () => {
              setWatchesRunHere(false);
              stopWatching();
            },
          }),
        },
      ),
    );
    // Refusal summaries of a minute that ended while the server was down.
    untilDone("closing refusal bursts", closeRefusalBursts);
    if (!env().TETHER_BACKGROUND) {
      console.log("[tether] background work is off (TETHER_BACKGROUND=off)");
      return handOverOnShutdown(stoppable(jobs));
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
        { everyMs: env().TETHER_POLL_INTERVAL_SECONDS * 1000, firstAfterMs: 2_000, lease: lease() },
      ),
      // Organization discovery (TETHER_ORGANIZATION): at start, then every
      // TETHER_DISCOVERY_INTERVAL_MINUTES after the last run on any replica (an admin's run too);
      // a failed run throws (backoff, one log line) and is due again after at most 5 minutes.
      ...(env().organization
        ? [
            repeat(
              "discovery",
              async () => {
                await scheduledDiscovery();
              },
              { everyMs: Math.min(DISCOVERY_CHECK_MS, env().TETHER_DISCOVERY_INTERVAL_MINUTES * 60_000), firstAfterMs: 0, lease: lease() },
            ),
          ]
        : []),
      repeat(
        "latency cycle",
        async () => {
          try {
            await latencyCycle();
          } finally {
            due.cycle = true;
          }
        },
        { everyMs: LATENCY_EVERY_MS, lease: lease() },
      ),
      // Starts within ALERT_TICK_MS of the run it follows, on the replica that ran it (the flags are
      // this process's), so it needs no lease of its own; a failed evaluation stays due and is tried
      // again with backoff.
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
    return handOverOnShutdown(stoppable(jobs));
  });
}
