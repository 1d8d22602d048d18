"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";

/**
 * Calls POST /api/{connections|hosts}/<id>/{resume|setup} and opens the console page it returns
 * in a new tab. The tab is opened on the click itself (so no popup blocker stops it) and pointed
 * at the console once the server has audited the action; on failure it is closed again.
 */
export function ResumeButton({ kind, id, name, label }: { kind: "connection" | "host"; id: string; name: string; label: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, startTransition] = useTransition();

  async function onClick() {
    setError(null);
    setBusy(true);
    const tab = window.open("about:blank", "_blank");
    try {
      const res = await fetch(kind === "connection" ? `/api/connections/${encodeURIComponent(id)}/resume` : `/api/hosts/${encodeURIComponent(id)}/setup`, { method: "POST" });
      const body = (await res.json().catch(() => ({}))) as { consoleUrl?: string; error?: string };
      if (!res.ok || !body.consoleUrl) throw new Error(body.error ?? `the server answered ${res.status}`);
      if (tab) {
        tab.opener = null;
        tab.location.href = body.consoleUrl;
      } else {
        window.open(body.consoleUrl, "_blank", "noopener");
      }
      startTransition(() => router.refresh());
    } catch (e) {
      tab?.close();
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="inline-flex flex-col items-start gap-1">
      <Button type="button" variant="primary" onClick={onClick} disabled={busy} aria-label={`${label} ${name}`}>
        {busy ? "Opening…" : label}
      </Button>
      {error ? (
        <span role="alert" className="text-xs text-error">
          {error}
        </span>
      ) : null}
    </span>
  );
}
