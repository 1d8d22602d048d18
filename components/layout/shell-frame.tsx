"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { cn } from "@/lib/utils";

const NAV_ID = "main-nav";

/**
 * The page frame. Wide screens: the navigation is a sidebar left of the header and the page. Below
 * `md`: one sticky bar (the brand, the user menu, a Menu button) and the navigation opens over the
 * page from that button: Escape, a tap outside, following a link or tabbing out of it closes it.
 * Without JavaScript (`scripting: none`) the button is left out and the navigation is shown under
 * the bar, so every page stays reachable. `menuBadge` repeats a link's count (firing alerts) on the
 * button, where a phone sees it without opening the menu.
 */
export function ShellFrame({ brand, nav, user, menuBadge, children }: { brand: React.ReactNode; nav: React.ReactNode; user: React.ReactNode; menuBadge?: { count: number; label: string } | null; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const [shownPath, setShownPath] = useState(pathname);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);

  // A link in the menu was followed: the new page shows with the menu closed.
  if (shownPath !== pathname) {
    setShownPath(pathname);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    // Focus goes to the page that is shown (or the first link), so Tab walks the links from there.
    const links = panel.current?.querySelectorAll<HTMLAnchorElement>("a[href]");
    const current = panel.current?.querySelector<HTMLAnchorElement>('a[aria-current="page"]');
    (current ?? links?.[0])?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  const closeIfFocusLeaves = (e: React.FocusEvent) => {
    const to = e.relatedTarget as Node | null;
    if (to && !panel.current?.contains(to) && to !== button.current) setOpen(false);
  };

  return (
    <div className="grid min-h-screen grid-cols-[auto_minmax(0,1fr)] grid-rows-[auto_auto_1fr] md:grid-cols-[13rem_minmax(0,1fr)] md:grid-rows-[auto_1fr]">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:m-2 focus:rounded focus:bg-surface focus:p-2">
        Skip to content
      </a>
      <div className="sticky top-0 z-40 col-start-1 row-start-1 flex h-14 items-center border-b border-border bg-surface pl-4 md:static md:h-auto md:border-r md:border-b-0 md:px-6">{brand}</div>
      <header className="sticky top-0 z-40 col-start-2 row-start-1 flex h-14 min-w-0 items-center justify-end gap-2 border-b border-border bg-surface pr-2 pl-2 md:static md:h-auto md:px-8 md:py-2">
        {user}
        <button
          ref={button}
          type="button"
          aria-expanded={open}
          aria-controls={NAV_ID}
          onClick={() => setOpen((o) => !o)}
          className="inline-flex h-10 items-center gap-2 rounded-md border border-border px-3 text-sm font-medium hover:bg-surface-2 md:hidden noscript:hidden"
        >
          <svg aria-hidden viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            {open ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 5h14M3 10h14M3 15h14" />}
          </svg>
          Menu
          {/* What a link's badge says (firing alerts), also on the button: a phone shows the links only when opened. */}
          {menuBadge && menuBadge.count > 0 ? (
            <span className="inline-flex min-w-5 items-center justify-center rounded-full bg-error px-1.5 text-xs font-semibold text-white" data-testid="menu-badge">
              {menuBadge.count}
              <span className="sr-only"> {menuBadge.label}</span>
            </span>
          ) : null}
        </button>
      </header>
      {open ? <div aria-hidden className="fixed inset-x-0 top-14 bottom-0 z-30 bg-black/40 md:hidden" onClick={() => setOpen(false)} /> : null}
      <nav
        ref={panel}
        id={NAV_ID}
        aria-label="Main"
        onBlur={closeIfFocusLeaves}
        className={cn(
          "col-span-2 row-start-2 border-border bg-surface px-3 pt-1 pb-4",
          "max-md:fixed max-md:inset-x-0 max-md:top-14 max-md:z-40 max-md:max-h-[calc(100dvh-3.5rem)] max-md:overflow-y-auto max-md:border-b max-md:shadow-lg",
          "max-md:noscript:static max-md:noscript:block max-md:noscript:max-h-none max-md:noscript:shadow-none",
          "md:col-span-1 md:col-start-1 md:row-start-2 md:border-r",
          open ? "max-md:block" : "max-md:hidden",
        )}
      >
        {nav}
      </nav>
      <main id="main" className="col-span-2 row-start-3 mx-auto w-full max-w-7xl min-w-0 px-4 py-6 md:col-span-1 md:col-start-2 md:row-start-2 md:px-8">
        {children}
      </main>
    </div>
  );
}
