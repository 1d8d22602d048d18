"use client";

import { useEffect, useRef, useState } from "react";

/**
 * A box that scrolls sideways when what it holds is wider than the screen (a table on a phone),
 * and says so: shaded edges where more is hidden (CSS, `.scroll-x` in globals.css) and a caption
 * while there is more to the right. Keyboard users can focus it and scroll with the arrow keys.
 */
export function ScrollArea({ label, children }: { label: string; children: React.ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [state, setState] = useState({ overflows: false, atEnd: true });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => {
      const overflows = el.scrollWidth - el.clientWidth > 1;
      const atEnd = el.scrollLeft + el.clientWidth >= el.scrollWidth - 1;
      setState((s) => (s.overflows === overflows && s.atEnd === atEnd ? s : { overflows, atEnd }));
    };
    measure();
    const resize = new ResizeObserver(measure);
    resize.observe(el);
    if (el.firstElementChild) resize.observe(el.firstElementChild);
    el.addEventListener("scroll", measure, { passive: true });
    return () => {
      resize.disconnect();
      el.removeEventListener("scroll", measure);
    };
  }, []);

  return (
    <div>
      {state.overflows ? (
        <p aria-hidden className="border-b border-border px-4 py-1 text-right text-xs text-muted" data-testid="scroll-hint">
          {state.atEnd ? "← scroll back for the first columns" : "scroll → for more columns"}
        </p>
      ) : null}
      <div
        ref={box}
        // relative: what is absolutely positioned inside (a screen-reader-only label) scrolls with
        // the table instead of widening the page.
        className="scroll-x relative overflow-x-auto"
        {...(state.overflows ? { tabIndex: 0, role: "region", "aria-label": `${label} (scrolls sideways)` } : {})}
      >
        {children}
      </div>
    </div>
  );
}
