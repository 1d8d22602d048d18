"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";

const SILENCE_HOURS = [1, 4, 24, 72, 168] as const;
const label = (h: number) => (h < 24 ? `${h} h` : `${h / 24} d`);

/**
 * Admins: acknowledge a firing alert (no more re-notifications) or silence its notifications for a
 * while, each with a reason, through POST /api/alerts/<id>/acknowledge and …/silence. The server's
 * message is shown as it is when it refuses.
 */
export function AlertActions({ id, acknowledged }: { id: number; acknowledged: boolean }) {
  const router = useRouter();
  const [mode, setMode] = useState<"acknowledge" | "silence" | null>(null);
  const [reason, setReason] = useState("");
  const [hours, setHours] = useState<number>(4);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [, startTransition] = useTransition();
  const reasonId = useId();

  async function submit() {
    if (!mode) return;
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch(`/api/alerts/${id}/${mode}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(mode === "silence" ? { hours, reason } : { reason }) });
      const json = (await res.json().catch(() => ({}))) as { error?: string };
      if (!res.ok) throw new Error(json.error ?? `the server answered ${res.status}`);
      setMessage({ ok: true, text: mode === "silence" ? `Silenced for ${label(hours)}.` : "Acknowledged." });
      setMode(null);
      setReason("");
      startTransition(() => router.refresh());
    } catch (e) {
      setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col items-start gap-2 text-sm" data-testid="alert-actions">
      {mode === null ? (
        <div className="flex flex-wrap gap-2">
          <Button type="button" onClick={() => setMode("acknowledge")} aria-label={`${acknowledged ? "Acknowledge again" : "Acknowledge"} alert #${id}`}>
            {acknowledged ? "Acknowledge again" : "Acknowledge"}
          </Button>
          <Button type="button" onClick={() => setMode("silence")} aria-label={`Silence alert #${id}`}>
            Silence
          </Button>
        </div>
      ) : (
        <form
          className="flex w-full max-w-md flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {mode === "silence" ? (
            <label className="flex flex-col gap-1">
              <span className="text-xs text-muted">Hold its notifications for</span>
              <select value={hours} onChange={(e) => setHours(Number(e.target.value))} className="rounded-md border border-border bg-surface px-2 py-1.5">
                {SILENCE_HOURS.map((h) => (
                  <option key={h} value={h}>
                    {label(h)}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label htmlFor={reasonId} className="text-xs text-muted">
            Reason ({mode === "silence" ? "why it may wait" : "who is on it, what is being done"})
          </label>
          <input id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} className="rounded-md border border-border bg-surface px-2 py-1.5" />
          <div className="flex gap-2">
            <Button type="submit" variant="primary" disabled={busy}>
              {busy ? "Saving…" : mode === "silence" ? `Silence for ${label(hours)}` : "Acknowledge"}
            </Button>
            <Button type="button" variant="ghost" onClick={() => setMode(null)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
      {message ? (
        <span role={message.ok ? "status" : "alert"} data-testid="alert-action-result" className={message.ok ? "text-xs text-available" : "text-xs text-error"}>
          {message.text}
        </span>
      ) : null}
    </div>
  );
}
