import { Alert } from "@/components/ui/alert";
import { Time } from "@/components/ui/time";
import type { FleetHealth } from "@/lib/types";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The listing error banner: one failing listing never blanks the page, but it is never hidden
 * either. Connections are listed per account (from any of its Regions), hosts per account × Region,
 * so an account whose first Region fails but another answers shows no banner at all.
 */
export function ScopeErrors({ health, now }: { health: FleetHealth; now: number }) {
  const failing = health.problems;
  if (failing.length === 0) return null;
  const accounts = failing.filter((p) => !p.key.includes("/")).length;
  const scopes = failing.length - accounts;
  const parts = [
    accounts ? `the connections of ${plural(accounts, "account")} (of ${health.accounts.length})` : null,
    scopes ? `the hosts of ${plural(scopes, "scope")} (of ${health.scopes.length})` : null,
  ].filter(Boolean);
  return (
    <Alert tone="error" data-testid="scope-errors" className="mb-4" title={`Could not list ${parts.join(" or ")}; everything else is complete.`}>
      <ul className="mt-1 space-y-1">
        {failing.map((p) => (
          <li key={p.key} data-scope={p.key}>
            <span className="text-fg">{p.what}</span>: {p.error}
            {p.stale && p.asOf ? (
              <>
                {" "}
                (showing its last complete listing, <Time iso={p.asOf} now={now} />)
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
