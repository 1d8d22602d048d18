export function DefinitionList({ items }: { items: { term: string; value: React.ReactNode; testId?: string }[] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-3 px-4 py-4 text-sm sm:grid-cols-[10rem_1fr]">
      {items.map((i) => (
        <div key={i.term} className="contents">
          <dt className="text-muted">{i.term}</dt>
          <dd className="min-w-0 break-words" data-testid={i.testId}>
            {i.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
