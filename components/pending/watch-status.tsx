"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { StatusBadge } from "@/components/ui/status-badge";
import type { WatchState, WatchView } from "@/lib/types";
import { cn } from "@/lib/utils";

const POLL_MS = 2000;

const OUTCOME: Record<WatchState, string> = {
  watching: "Watching for the handshake…",
  completed: "Completed",
  failed: "Failed",
  timeout: "Still pending at timeout",
};

/**
 * The status of a row that Tether may be watching: while the watch runs it polls the watch
 * endpoint and flips the badge as soon as the watcher sees a new status, then refreshes the page.
 * `layout` places its two parts where a card wants them (the badge, the line about the watch).
 */
export function WatchStatus({ kind, id, status, watch: initial, layout }: { kind: "connection" | "host"; id: string; status: string; watch: WatchView | null; layout?: { root: string; badge: string; outcome: string } }) {
  const router = useRouter();
  const [watch, setWatch] = useState(initial);
  const [synced, setSynced] = useState(initial);
  if (synced !== initial) {
    setSynced(initial);
    setWatch(initial);
  }
  const watching = watch?.state === "watching";

  useEffect(() => {
    if (!watching) return;
    let stopped = false;
    const poll = async () => {
      try {
        const res = await fetch(`/api/${kind === "connection" ? "connections" : "hosts"}/${encodeURIComponent(id)}/watch`, { cache: "no-store" });
        if (!res.ok || stopped) return;
        const body = (await res.json()) as { watch: WatchView | null };
        if (!body.watch) return;
        setWatch(body.watch);
        if (body.watch.state !== "watching") router.refresh();
      } catch {
        // keep polling; the next tick may succeed
      }
    };
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [watching, kind, id, router]);

  const shown = watch && watch.lastStatus && (watch.state !== "watching" || watch.lastStatus !== status) ? watch.lastStatus : status;
  return (
    <span className={cn("inline-flex flex-col items-start gap-1", layout?.root)} data-testid="watch-status" data-watch-state={watch?.state ?? "none"}>
      <StatusBadge status={shown} className={layout?.badge} />
      {watch ? (
        <span className={cn("text-xs", watch.state === "completed" ? "text-available" : watch.state === "watching" ? "text-muted" : "text-error", layout?.outcome)} aria-live="polite">
          {OUTCOME[watch.state]}
          {watch.state === "watching" ? ` (${watch.checks} checks)` : ""} · {watch.startedBy}
        </span>
      ) : null}
    </span>
  );
}
