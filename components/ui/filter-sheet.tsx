import { cn } from "@/lib/utils";

/**
 * Filters that fold away on a phone: below `md` a "Filters" disclosure (a plain <details>, so it
 * opens without JavaScript too) whose content drops down over the page, full width of the
 * enclosing `relative` form; from `md` up the content is always shown inline (globals.css,
 * `.filter-sheet`). `active` counts the filters in force, shown on the closed summary.
 */
export function FilterSheet({ active, children, className }: { active: number; children: React.ReactNode; className?: string }) {
  return (
    <details className="filter-sheet group/sheet max-md:w-fit" data-testid="filter-sheet">
      <summary className="flex h-9 cursor-pointer list-none items-center gap-1.5 rounded-md border border-border bg-surface px-3 text-sm select-none hover:bg-surface-2 group-open/sheet:border-accent [&::-webkit-details-marker]:hidden">
        <svg aria-hidden viewBox="0 0 20 20" className="size-4 text-muted" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <path d="M3 5h14M6 10h8M9 15h2" />
        </svg>
        Filters
        {active > 0 ? (
          <span className="rounded bg-accent px-1 text-xs text-accent-fg">
            {active}
            <span className="sr-only"> active</span>
          </span>
        ) : null}
      </summary>
      <div
        className={cn(
          "max-md:absolute max-md:inset-x-0 max-md:top-full max-md:z-20 max-md:mt-1 max-md:max-h-[70dvh] max-md:overflow-y-auto max-md:rounded-md max-md:border max-md:border-border max-md:bg-surface max-md:p-3 max-md:shadow-lg",
          className,
        )}
      >
        {children}
      </div>
    </details>
  );
}
