"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ChannelView, RuleView } from "@/lib/types";

type State = { status: "idle" } | { status: "ok"; message: string } | { status: "error"; message: string };
type Action = (prev: State, form: FormData) => Promise<State>;

function Result({ state }: { state: State }) {
  if (state.status === "idle") return null;
  return (
    <span role={state.status === "ok" ? "status" : "alert"} data-testid="form-result" className={state.status === "ok" ? "text-xs text-available" : "text-xs text-error"}>
      {state.message}
    </span>
  );
}

/** An admin's form for one rule: on/off, its thresholds, the channels it notifies. */
export function RuleForm({ rule, channels, action }: { rule: RuleView; channels: ChannelView[]; action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as State);
  return (
    <form action={formAction} className="flex flex-col gap-3 text-sm" aria-label={`Settings of ${rule.title}`}>
      <input type="hidden" name="rule" value={rule.id} />
      <label className="flex items-center gap-2">
        <input type="checkbox" name="enabled" defaultChecked={rule.enabled} />
        Enabled
      </label>
      {rule.params.map((p) => (
        <label key={p.key} className="flex flex-wrap items-center gap-2">
          <span className="text-muted">{p.label}</span>
          <input type="number" name={`param:${p.key}`} defaultValue={p.value} min={p.min} max={p.max} step={1} required className="w-24 rounded-md border border-border bg-surface px-2 py-1" aria-label={`${rule.title}: ${p.label}`} />
          <span className="text-muted">{p.unit}</span>
          {p.value !== p.default ? <span className="text-xs text-muted">(default {p.default})</span> : null}
        </label>
      ))}
      {channels.length ? (
        <fieldset className="flex flex-col gap-1">
          <legend className="mb-1 text-muted">Notify</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="channels" value="all" defaultChecked={rule.channels === null} /> every channel
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="channels" value="some" defaultChecked={rule.channels !== null} /> only:
          </label>
          {channels.map((c) => (
            <label key={c.id} className="ml-6 flex items-center gap-2">
              <input type="checkbox" name="channel" value={c.id} defaultChecked={rule.channels?.includes(c.id) ?? false} /> {c.label} <span className="font-mono text-xs text-muted">{c.id}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
        <Result state={state} />
      </div>
    </form>
  );
}

/** An admin's form for a maintenance window (times in UTC). */
export function MaintenanceForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as State);
  return (
    <div className="space-y-2">
      <form action={formAction} className="flex flex-wrap items-end gap-3 text-sm" aria-label="New maintenance window">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">Account (empty: every account)</span>
          <input name="account" inputMode="numeric" pattern="\d{12}" placeholder="111111111111" className="w-40 rounded-md border border-border bg-surface px-2 py-1.5" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">Region (empty: every Region)</span>
          <input name="region" placeholder="us-east-1" className="w-32 rounded-md border border-border bg-surface px-2 py-1.5" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">From (UTC)</span>
          <input type="datetime-local" name="startsAt" required className="rounded-md border border-border bg-surface px-2 py-1.5" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">Until (UTC)</span>
          <input type="datetime-local" name="endsAt" required className="rounded-md border border-border bg-surface px-2 py-1.5" />
        </label>
        <label className="flex min-w-48 flex-1 flex-col gap-1">
          <span className="text-xs text-muted">Reason</span>
          <input name="reason" required maxLength={500} className="rounded-md border border-border bg-surface px-2 py-1.5" />
        </label>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Adding…" : "Add window"}
        </Button>
      </form>
      {state.status === "error" ? <Alert tone="error">{state.message}</Alert> : <Result state={state} />}
    </div>
  );
}

/** "Send test notification" for one channel, with what it answered. */
export function TestChannelButton({ channel, action }: { channel: ChannelView; action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as State);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="channel" value={channel.id} />
      <Button type="submit" disabled={pending} aria-label={`Send test notification to ${channel.label} ${channel.id}`}>
        {pending ? "Sending…" : "Send test notification"}
      </Button>
      <Result state={state} />
    </form>
  );
}
