/**
 * Terms and values: side by side from `sm`, stacked below it, where a term sits closer to its own
 * value than to the value above it (the margin is on every term but the first; a term is always
 * the first child of its `contents` wrapper, so `first:` cannot tell them apart).
 */
export function DefinitionList({ items }: { items: { term: string; value: React.ReactNode; testId?: string }[] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-1 px-4 py-4 text-sm sm:grid-cols-[10rem_minmax(0,1fr)] sm:gap-y-3 max-sm:[&>div+div>dt]:mt-3">
      {items.map((i) => (
        <div key={i.term} className="contents">
          <dt className="text-muted max-sm:text-xs">{i.term}</dt>
          <dd className="min-w-0 wrap-anywhere" data-testid={i.testId}>
            {i.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
