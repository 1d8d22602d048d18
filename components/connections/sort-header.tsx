import Link from "next/link";
import { cn } from "@/lib/utils";

export function SortHeader({ label, active, dir, href, className }: { label: string; active: boolean; dir: "asc" | "desc"; href: string; className?: string }) {
  return (
    <th scope="col" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"} className={cn("px-3 py-2 text-left font-medium", className)}>
      <Link href={href} className={cn("inline-flex items-center gap-1 rounded hover:text-fg", active ? "text-fg" : "text-muted")}>
        {label}
        <span aria-hidden className="text-[10px]">
          {active ? (dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </Link>
    </th>
  );
}
