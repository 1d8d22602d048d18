"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { FilterSheet } from "@/components/ui/filter-sheet";
import { cn } from "@/lib/utils";

export interface FilterGroup {
  key: string;
  label: string;
  options: { value: string; label: string }[];
}

export interface FilterState {
  q: string;
  selected: Record<string, string[]>;
  /** Kept when filters change (sort and direction). */
  keep: Record<string, string>;
}

function toQuery(state: FilterState, groups: FilterGroup[]): string {
  const p = new URLSearchParams();
  for (const g of groups) for (const v of state.selected[g.key] ?? []) p.append(g.key, v);
  if (state.q.trim()) p.set("q", state.q.trim());
  for (const [k, v] of Object.entries(state.keep)) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : "";
}

/**
 * Filters and search for a table whose state lives in the URL. It is a plain GET form (it
 * works without JavaScript); with JavaScript, every change navigates at once and the search
 * box after a short pause, so the URL always reproduces the view. On a phone the filters fold
 * into a sheet (FilterSheet) next to the search box.
 */
export function FilterBar({ action, groups, initial, searchLabel = "Search" }: { action: string; groups: FilterGroup[]; initial: FilterState; searchLabel?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const initialKey = JSON.stringify(initial);
  const [state, setState] = useState(initial);
  const [syncedKey, setSyncedKey] = useState(initialKey);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Back/forward or a link changed the URL: take the new state from the server.
  if (syncedKey !== initialKey) {
    setSyncedKey(initialKey);
    setState(initial);
  }

  useEffect(() => () => clearTimeout(timer.current), []);

  const navigate = (next: FilterState) => {
    startTransition(() => router.push(action + toQuery(next, groups), { scroll: false }));
  };

  const toggle = (key: string, value: string, on: boolean) => {
    const current = state.selected[key] ?? [];
    const next = { ...state, selected: { ...state.selected, [key]: on ? [...current, value] : current.filter((v) => v !== value) } };
    setState(next);
    navigate(next);
  };

  const search = (q: string) => {
    const next = { ...state, q };
    setState(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => navigate(next), 350);
  };

  const chosen = groups.reduce((n, g) => n + (state.selected[g.key]?.length ?? 0), 0);
  const activeCount = chosen + (state.q ? 1 : 0);

  return (
    <form
      action={action}
      method="get"
      role="search"
      className="relative flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        clearTimeout(timer.current);
        navigate(state);
      }}
    >
      <label className="relative min-w-0 max-md:flex-1">
        <span className="sr-only">{searchLabel}</span>
        <input
          type="search"
          name="q"
          value={state.q}
          onChange={(e) => search(e.target.value)}
          placeholder={`${searchLabel}…`}
          className="h-9 w-full rounded-md border border-border bg-surface px-3 text-sm placeholder:text-muted md:w-64"
        />
      </label>
      <FilterSheet active={chosen} className="flex flex-wrap items-center gap-2 max-md:flex-col max-md:items-stretch">
        {groups.map((g) => {
          const selected = state.selected[g.key] ?? [];
          return (
            <details key={g.key} className="group relative">
              <summary
                className={cn(
                  "flex h-9 cursor-pointer list-none items-center gap-1 rounded-md border border-border bg-surface px-3 text-sm select-none hover:bg-surface-2 max-md:justify-between [&::-webkit-details-marker]:hidden",
                  selected.length > 0 && "border-accent text-accent",
                )}
              >
                <span className="flex items-center gap-1">
                  {g.label}
                  {selected.length > 0 ? <span className="rounded bg-accent px-1 text-xs text-accent-fg">{selected.length}</span> : null}
                </span>
                <span aria-hidden className="text-[10px] text-muted group-open:rotate-180">
                  ▼
                </span>
              </summary>
              <fieldset className="z-20 mt-1 min-w-52 rounded-md border border-border bg-surface p-2 md:absolute md:shadow-lg max-md:border-0 max-md:px-0 max-md:pb-1">
                <legend className="sr-only">{g.label}</legend>
                {g.options.map((o) => (
                  <label key={o.value} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 text-sm hover:bg-surface-2 max-md:py-2">
                    <input type="checkbox" name={g.key} value={o.value} checked={selected.includes(o.value)} onChange={(e) => toggle(g.key, o.value, e.target.checked)} className="accent-(--accent)" />
                    {o.label}
                  </label>
                ))}
              </fieldset>
            </details>
          );
        })}
        {activeCount > 0 ? (
          <button
            type="button"
            onClick={() => {
              const next = { q: "", selected: {}, keep: state.keep };
              setState(next);
              navigate(next);
            }}
            className="rounded-md px-2 py-1.5 text-sm text-muted underline hover:text-fg max-md:self-start"
          >
            Clear filters
          </button>
        ) : null}
      </FilterSheet>
      {Object.entries(state.keep).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <noscript>
        <button type="submit" className="h-9 rounded-md border border-border px-3 text-sm">
          Apply
        </button>
      </noscript>
      <span aria-live="polite" className="text-xs text-muted">
        {pending ? "Updating…" : ""}
      </span>
    </form>
  );
}
