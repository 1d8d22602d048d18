import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { ScrollArea } from "@/components/ui/scroll-area";
import type { Outcome, SimulationRow } from "@/lib/types";
import { cn } from "@/lib/utils";

const OUTCOME: Record<Outcome, { label: string; cls: string }> = {
  starts: { label: "starts", cls: "bg-available-bg text-available" },
  no: { label: "does not start", cls: "bg-error-bg text-error" },
  unknown: { label: "cannot tell", cls: "bg-pending-bg text-pending" },
};

/**
 * The trigger simulator: a plain GET form (the result is a link anyone can open again) and the
 * verdict for each pipeline source action.
 */
export function Simulator({
  action,
  defaults,
  form,
  problems,
  rows,
}: {
  action: string;
  defaults: { repo: string; branch: string };
  form: { repo: string; branch: string; tags: string; paths: string } | null;
  problems: string[];
  rows: SimulationRow[] | null;
}) {
  const f = form ?? { repo: defaults.repo, branch: defaults.branch, tags: "", paths: "" };
  return (
    <div className="space-y-4 p-4">
      <form method="get" action={`${action}#simulator`} className="grid gap-3 text-sm md:grid-cols-2" data-testid="simulator-form">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">Repository (owner/name)</span>
          <input name="sim_repo" defaultValue={f.repo} required className="rounded-md border border-border bg-surface px-2 py-1.5" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">Branch pushed to</span>
          <input name="sim_branch" defaultValue={f.branch} className="rounded-md border border-border bg-surface px-2 py-1.5" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">Tags pushed (space or comma separated)</span>
          <input name="sim_tags" defaultValue={f.tags} className="rounded-md border border-border bg-surface px-2 py-1.5" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-muted">Changed files (one per line; empty = unknown)</span>
          <textarea name="sim_paths" defaultValue={f.paths} rows={2} className="rounded-md border border-border bg-surface px-2 py-1.5 font-mono text-xs" />
        </label>
        <div className="md:col-span-2">
          <button type="submit" className={buttonClass("primary")}>
            Simulate push
          </button>
        </div>
      </form>
      {problems.length ? <Alert tone="warning">{problems.join("; ")}</Alert> : null}
      {rows ? (
        rows.length === 0 ? (
          <p className="text-sm text-muted">No pipeline source action to evaluate.</p>
        ) : (
          <ScrollArea label="Simulator results">
            <table className="w-full text-sm" data-testid="simulator-results">
              <thead className="border-b border-border text-xs text-muted">
                <tr>
                  <th scope="col" className="py-2 pr-3 text-left font-medium">Pipeline</th>
                  <th scope="col" className="py-2 pr-3 text-left font-medium">Source action</th>
                  <th scope="col" className="py-2 pr-3 text-left font-medium">Result</th>
                  <th scope="col" className="py-2 text-left font-medium">Why</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-border">
                {rows.map((r) => (
                  <tr key={`${r.key}/${r.action}`} data-sim-pipeline={r.pipeline} data-outcome={r.result.outcome}>
                    <td className="py-2 pr-3">
                      <Link className="hover:underline" href={`/pipelines/${r.account}/${r.region}/${encodeURIComponent(r.pipeline)}`}>
                        {r.pipeline}
                      </Link>
                    </td>
                    <td className="py-2 pr-3 text-xs text-muted">
                      {r.action} · {r.repository}@{r.branch}
                    </td>
                    <td className="py-2 pr-3">
                      <span className={cn("rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap", OUTCOME[r.result.outcome].cls)}>{OUTCOME[r.result.outcome].label}</span>
                    </td>
                    <td className="py-2 text-xs">{r.result.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        )
      ) : null}
    </div>
  );
}
