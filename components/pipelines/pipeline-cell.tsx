import Link from "next/link";
import { cn } from "@/lib/utils";

/** A pipeline's name (linking to its page) over its type and scope: the first cell of pipeline tables. */
export function PipelineCell({ p, className }: { p: { account: string; region: string; name: string; pipelineType: string }; className?: string }) {
  return (
    <td className={cn("min-w-0 px-3 py-2", className)}>
      <Link href={`/pipelines/${p.account}/${p.region}/${encodeURIComponent(p.name)}`} className="font-medium break-words hover:underline">
        {p.name}
      </Link>
      <span className="block text-xs text-muted">
        {p.pipelineType} · {p.account}/{p.region}
      </span>
    </td>
  );
}
