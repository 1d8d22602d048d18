import { cn } from "@/lib/utils";

const STYLES: Record<string, string> = {
  healthy: "bg-available-bg text-available",
  degraded: "bg-pending-bg text-pending",
  broken: "bg-error-bg text-error",
  unknown: "bg-unknown-bg text-unknown",
};

export function VerdictBadge({ verdict, className }: { verdict: string; className?: string }) {
  return (
    <span data-verdict={verdict} className={cn("inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium", STYLES[verdict] ?? STYLES.unknown, className)}>
      <span aria-hidden className="size-1.5 rounded-full bg-current" />
      {verdict}
    </span>
  );
}
