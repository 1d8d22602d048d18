"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";

interface RunAnswer {
  run?: { result: { accounts: { roleError: string | null }[]; skipped: unknown[] } | null; durationMs: number };
  error?: string;
}

/**
 * "Discover now": POST /api/discovery/run, "Discovering…" while it runs (the button is disabled and
 * the region busy), then what it found, or the server's error as it is, and the page re-rendered
 * with the new run.
 */
export function DiscoverButton({ runningSince }: { runningSince: string | null }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [, startTransition] = useTransition();

  async function run() {
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch("/api/discovery/run", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      const json = (await res.json().catch(() => ({}))) as RunAnswer;
      if (!res.ok) throw new Error(json.error ?? `the server answered ${res.status}`);
      const r = json.run?.result;
      const unreachable = r?.accounts.filter((a) => a.roleError).length ?? 0;
      setMessage({
        ok: true,
        text: r ? `Discovered ${r.accounts.length} account(s) to watch, ${r.skipped.length} skipped${unreachable ? `, ${unreachable} whose role cannot be assumed` : ""} (${((json.run?.durationMs ?? 0) / 1000).toFixed(1)} s). The inventory lists them from now on.` : "Discovery finished.",
      });
      startTransition(() => router.refresh());
    } catch (e) {
      setMessage({ ok: false, text: `Discovery failed: ${e instanceof Error ? e.message : String(e)}` });
      startTransition(() => router.refresh());
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col items-start gap-1" aria-busy={busy}>
      <Button type="button" variant="primary" onClick={run} disabled={busy} data-testid="discover-now">
        {busy ? "Discovering…" : "Discover now"}
      </Button>
      {busy || runningSince ? (
        <span role="status" className="text-xs text-muted" data-testid="discovery-pending">
          {busy ? "Listing the organization's accounts and their Regions; this takes a few seconds per 100 accounts." : `A discovery is running on this replica since ${runningSince?.slice(11, 19)} UTC.`}
        </span>
      ) : null}
      {message ? (
        <span role={message.ok ? "status" : "alert"} className={message.ok ? "max-w-xl text-xs text-available" : "max-w-xl text-xs text-error"} data-testid="discovery-result">
          {message.text}
        </span>
      ) : null}
    </div>
  );
}
