import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import type { Tag } from "@/lib/types";

export function TagsTable({ tags, error }: { tags: Tag[]; error: string | null }) {
  if (error) return <Alert tone="error" className="m-4" title="Tags could not be read">{error}</Alert>;
  if (tags.length === 0) return <EmptyState title="No tags" />;
  return (
    <table className="w-full text-sm" data-testid="tags">
      <thead className="border-b border-border bg-surface-2 text-xs text-muted">
        <tr>
          <th scope="col" className="px-4 py-2 text-left font-medium">Key</th>
          <th scope="col" className="px-4 py-2 text-left font-medium">Value</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-border">
        {tags.map((t) => (
          <tr key={t.key}>
            <td className="px-4 py-2 font-mono text-xs">{t.key}</td>
            <td className="px-4 py-2 font-mono text-xs">{t.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
