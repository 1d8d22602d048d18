import Link from "next/link";

/** Previous / next links for a paged table; `hrefFor(n)` builds the URL of page n. */
export function Pager({ page, hrefFor }: { page: { page: number; pages: number; total: number; pageSize: number }; hrefFor: (n: number) => string }) {
  if (page.pages <= 1) return null;
  const first = (page.page - 1) * page.pageSize + 1;
  const last = Math.min(page.page * page.pageSize, page.total);
  return (
    <nav aria-label="Pages" data-testid="pager" data-pages={page.pages} className="flex flex-wrap items-center justify-between gap-2 border-t border-border px-4 py-3 text-sm">
      <span className="text-muted">
        {first}–{last} of {page.total}
      </span>
      <span className="flex items-center gap-1">
        {page.page > 1 ? (
          <Link className="rounded-md border border-border px-2.5 py-1 hover:bg-surface-2" href={hrefFor(page.page - 1)} rel="prev">
            ← Previous
          </Link>
        ) : null}
        <span className="px-2 text-muted">
          Page {page.page} of {page.pages}
        </span>
        {page.page < page.pages ? (
          <Link className="rounded-md border border-border px-2.5 py-1 hover:bg-surface-2" href={hrefFor(page.page + 1)} rel="next">
            Next →
          </Link>
        ) : null}
      </span>
    </nav>
  );
}
