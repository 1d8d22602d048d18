/**
 * The dashboard's plain table: scrolls sideways on narrow screens, a muted header row of column
 * titles. Rows are the caller's `<tbody>`. A column may be right-aligned (numbers), carry a
 * tooltip, or be titled for screen readers only (an actions column).
 */
export type Column = string | { label: string; align?: "right"; title?: string; srOnly?: boolean };

export function DataTable({ testId, columns, children }: { testId?: string; columns: Column[]; children: React.ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid={testId}>
        <thead className="border-b border-border bg-surface-2 text-xs text-muted">
          <tr>
            {columns.map((c, i) => {
              const col = typeof c === "string" ? { label: c } : c;
              return (
                <th key={i} scope="col" title={col.title} className={`px-3 py-2 font-medium ${col.align === "right" ? "text-right" : "text-left"}`}>
                  {col.srOnly ? <span className="sr-only">{col.label}</span> : col.label}
                </th>
              );
            })}
          </tr>
        </thead>
        {children}
      </table>
    </div>
  );
}
