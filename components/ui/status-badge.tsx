import { cn } from "@/lib/utils";

const STYLES: Record<string, string> = {
  AVAILABLE: "bg-available-bg text-available",
  PENDING: "bg-pending-bg text-pending",
  ERROR: "bg-error-bg text-error",
};

/** A status pill; colour is never the only signal (the word is always there). */
export function StatusBadge({ status, className }: { status: string; className?: string }) {
  return (
    <span
      data-status={status}
      className={cn("inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap", STYLES[status] ?? "bg-unknown-bg text-unknown", className)}
    >
      <span aria-hidden className="size-1.5 rounded-full bg-current" />
      {status}
    </span>
  );
}
