"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import { Button } from "./button";

/**
 * A button that asks for confirmation in a modal dialog, then calls an API route and shows what
 * happened (the server's error message as it is: they are written for people).
 */
export function ConfirmAction({
  label,
  ariaLabel,
  title,
  body,
  confirmLabel,
  method,
  url,
  variant = "secondary",
  done,
}: {
  label: string;
  /** The button's accessible name when the label alone is ambiguous (a button per table row). */
  ariaLabel?: string;
  title: string;
  body: string;
  confirmLabel: string;
  method: "POST" | "DELETE";
  url: string;
  variant?: "primary" | "secondary" | "danger";
  done: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [, startTransition] = useTransition();

  async function confirm() {
    setBusy(true);
    try {
      const res = await fetch(url, { method });
      const json = (await res.json().catch(() => ({}))) as { error?: string; executionId?: string };
      if (!res.ok) throw new Error(json.error ?? `the server answered ${res.status}`);
      setMessage({ ok: true, text: json.executionId ? `${done} (execution ${json.executionId})` : done });
      startTransition(() => router.refresh());
    } catch (e) {
      setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
      dialog.current?.close();
    }
  }

  return (
    <span className="inline-flex flex-col items-start gap-1">
      <Button type="button" variant={variant === "danger" ? "secondary" : variant} aria-label={ariaLabel} onClick={() => dialog.current?.showModal()}>
        {label}
      </Button>
      {message ? (
        <span role={message.ok ? "status" : "alert"} className={message.ok ? "max-w-md text-xs text-available" : "max-w-md text-xs text-error"} data-testid="action-result">
          {message.text}
        </span>
      ) : null}
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto max-w-md rounded-lg border border-border bg-surface p-5 text-fg shadow-xl backdrop:bg-black/40">
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        <p className="mt-2 text-sm text-muted">{body}</p>
        <div className="mt-5 flex justify-end gap-2">
          <Button type="button" variant="ghost" onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </Button>
          <Button type="button" variant={variant === "danger" ? "danger" : "primary"} onClick={confirm} disabled={busy}>
            {busy ? "Working…" : confirmLabel}
          </Button>
        </div>
      </dialog>
    </span>
  );
}
