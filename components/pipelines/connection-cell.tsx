import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import type { SourceConnection } from "@/lib/types";

export function ConnectionCell({ c }: { c: SourceConnection }) {
  if (c.state === "missing") return <span className="text-xs font-medium text-error">missing connection</span>;
  if (c.state === "unknown") return <span className="text-xs text-muted">not watched</span>;
  return (
    <span className="flex flex-wrap items-center gap-1.5">
      <Link href={`/connections/${c.id}`} className="hover:underline">
        {c.name}
      </Link>
      {c.status ? <StatusBadge status={c.status} /> : null}
    </span>
  );
}
