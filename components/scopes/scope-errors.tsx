import { Alert } from "@/components/ui/alert";
import { Time } from "@/components/ui/time";

export interface ScopeErrorItem {
  key: string;
  error: string | null;
  asOf: string | null;
  stale: boolean;
}

/** The per-scope error banner: one failing scope never blanks the page, but it is never hidden either. */
export function ScopeErrors({ scopes, now }: { scopes: ScopeErrorItem[]; now: number }) {
  const failing = scopes.filter((s) => s.error);
  if (failing.length === 0) return null;
  return (
    <Alert tone="error" data-testid="scope-errors" className="mb-4" title={`${failing.length} of ${scopes.length} scopes could not be listed; the others are complete.`}>
      <ul className="mt-1 space-y-1">
        {failing.map((s) => (
          <li key={s.key} data-scope={s.key}>
            <span className="font-mono text-fg">{s.key}</span>: {s.error}
            {s.stale && s.asOf ? (
              <>
                {" "}
                (showing its last complete listing, <Time iso={s.asOf} now={now} />)
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
