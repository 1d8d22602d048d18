"use client";

import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

type State = { status: "idle" } | { status: "created"; token: string; name: string } | { status: "error"; message: string };

export function CreateTokenForm({ action, expiries }: { action: (prev: State, form: FormData) => Promise<State>; expiries: readonly number[] }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as State);
  // Which token was copied: a newly created one starts as "Copy" again.
  const [copiedToken, setCopiedToken] = useState<string | null>(null);
  return (
    <div className="space-y-4">
      <form action={formAction} className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">Name</span>
          <input name="name" required maxLength={64} placeholder="ci-export" className="w-56 rounded-md border border-border bg-surface px-2 py-1.5" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">Role</span>
          <select name="role" defaultValue="viewer" className="rounded-md border border-border bg-surface px-2 py-1.5">
            <option value="viewer">viewer</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">Expires</span>
          <select name="expiresInDays" defaultValue="90" className="rounded-md border border-border bg-surface px-2 py-1.5">
            {expiries.map((d) => (
              <option key={d} value={d}>
                {d ? `in ${d} days` : "never"}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </Button>
      </form>
      {state.status === "error" ? <Alert tone="error">{state.message}</Alert> : null}
      {state.status === "created" ? (
        <Alert tone="warning" title={`Token "${state.name}" created. Copy it now: it is shown only once.`}>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code data-testid="new-token" className="rounded bg-surface px-2 py-1 font-mono text-xs break-all text-fg">
              {state.token}
            </code>
            <Button
              type="button"
              onClick={() => {
                void navigator.clipboard?.writeText(state.token).then(() => setCopiedToken(state.token));
              }}
            >
              {copiedToken === state.token ? "Copied" : "Copy"}
            </Button>
          </div>
          <p className="mt-2">
            Use it as <code className="font-mono">Authorization: Bearer &lt;token&gt;</code> on any API route.
          </p>
        </Alert>
      ) : null}
    </div>
  );
}
