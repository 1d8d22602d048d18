import "server-only";
import { AppError } from "@/lib/errors";
import { getStore } from "@/lib/store";
import type { Watch } from "@/lib/store/types";
import type { ResourceKind, WatchView } from "@/lib/types";
import { currentPrincipal } from "./session";

/** Watches as pages show them: the latest watch of a connection or host (reads only). */

export const toWatchView = (w: Watch): WatchView => ({
  id: w.id,
  state: w.state,
  lastStatus: w.lastStatus,
  statusBefore: w.statusBefore,
  startedBy: w.startedBy,
  startedAt: w.startedAt,
  finishedAt: w.finishedAt,
  deadlineAt: w.deadlineAt,
  checks: w.checks,
});

/** The latest watch of a connection or host (any scope), or null. */
export async function getWatch(kind: ResourceKind, rawId: string): Promise<WatchView | null> {
  const p = await currentPrincipal();
  if (!p) throw new AppError("unauthenticated", "sign-in required");
  if (!p.allowed) throw new AppError("forbidden", "not allowed");
  const id = decodeURIComponent(rawId);
  const records = await getStore().history.findById(kind, id);
  const watches = (await Promise.all(records.map((r) => getStore().watches.latestFor(kind, r.account, r.region, r.id)))).filter((w): w is Watch => w !== null);
  const latest = watches.sort((a, b) => b.id - a.id)[0];
  return latest ? toWatchView(latest) : null;
}
