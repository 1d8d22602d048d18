export function DefinitionList({ items }: { items: { term: string; value: React.ReactNode; testId?: string }[] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-1 px-4 py-4 text-sm sm:grid-cols-[10rem_minmax(0,1fr)] sm:gap-y-3">
      {items.map((i) => (
        <div key={i.term} className="contents">
          <dt className="text-muted max-sm:mt-2 max-sm:text-xs max-sm:first:mt-0">{i.term}</dt>
          <dd className="min-w-0 wrap-anywhere" data-testid={i.testId}>
            {i.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
