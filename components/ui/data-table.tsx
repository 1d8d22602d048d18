import { cn } from "@/lib/utils";
import { ScrollArea } from "./scroll-area";

/**
 * The dashboard's plain table: a muted header row of column titles, rows from the caller's
 * `<tbody>`. A column may be right-aligned (numbers), carry a tooltip, or be titled for screen
 * readers only (an actions column).
 *
 * Narrow screens: by default the table scrolls sideways inside a `ScrollArea` that shows it does.
 * With `cards`, below `md` each row is a card instead (the same markup restyled, so there is one
 * copy of every value): the header row is left to screen readers, and the caller lays out each
 * row with `max-md:` classes: `CARD_GRID` (name left, status badge right, whole lines under them)
 * or `CARD_FLOW` (name and badge, then short values on one wrapping line); cells that can wait
 * for the detail page are `max-md:hidden`. With `dense`, below `md` cells have half the side
 * padding: a short table of numbers then fits a phone instead of scrolling for its last few pixels.
 */
export type Column = string | { label: string; align?: "right"; title?: string; srOnly?: boolean };

/** A row shown as a card below `md`: two columns (what it is, its status), other cells under them with `max-md:col-span-2`. */
export const CARD_GRID = "max-md:grid max-md:grid-cols-[minmax(0,1fr)_auto] max-md:items-start max-md:gap-x-3 max-md:gap-y-1 max-md:px-4 max-md:py-3";
/** A cell of a card: no table padding. */
export const CARD_CELL = "max-md:p-0";

/**
 * A row shown as a card below `md`, flowing: the first cell (`max-md:flex-1`) and the status
 * (`CARD_STATUS`) on the first line; the row's ::after breaks the line; then the `CARD_META`
 * cells, in document order, on a line of small print that wraps.
 */
export const CARD_FLOW = "max-md:flex max-md:flex-wrap max-md:items-baseline max-md:gap-x-1.5 max-md:px-4 max-md:py-3 max-md:after:order-1 max-md:after:basis-full max-md:after:content-['']";
export const CARD_STATUS = "max-md:order-1 max-md:shrink-0 max-md:p-0";
export const CARD_META = "max-md:order-2 max-md:mt-1 max-md:p-0 max-md:text-xs max-md:text-muted";
/** The dot after a meta value that another follows (at the end of a line when the line wraps there). */
export const CARD_SEP = "max-md:after:ml-1.5 max-md:after:content-['·']";

export function DataTable({ testId, columns, children, cards = false, dense = false, label }: { testId?: string; columns: Column[]; children: React.ReactNode; cards?: boolean; dense?: boolean; label?: string }) {
  const table = (
    <table className={cn("w-full text-sm", cards ? "max-md:block max-md:[&>tbody]:block" : "max-md:[&_th]:whitespace-nowrap", dense && "max-md:[&_td]:px-2 max-md:[&_th]:px-2")} data-testid={testId}>
      <thead className={cn("border-b border-border bg-surface-2 text-xs text-muted", cards && "max-md:sr-only")}>
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
  );
  return <ScrollArea label={label ?? columnsLabel(columns)}>{table}</ScrollArea>;
}

/** A name for the scrolling region when the caller gives none: its first columns. */
function columnsLabel(columns: Column[]): string {
  const names = columns.slice(0, 3).map((c) => (typeof c === "string" ? c : c.label));
  return `Table: ${names.join(", ")}${columns.length > 3 ? ", …" : ""}`;
}
