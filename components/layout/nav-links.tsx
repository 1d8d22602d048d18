"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

export interface NavItem {
  href: string;
  label: string;
  /** A count shown next to the label (e.g. firing alerts), with what it counts for screen readers. */
  badge?: { count: number; label: string; testId?: string };
}

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function NavLinks({ items }: { items: NavItem[] }) {
  // Typed nullable since pages/ exists (the receivers); never null in the App Router.
  const pathname = usePathname() ?? "";
  return (
    <ul className="flex flex-col gap-1">
      {items.map((item) => {
        const active = isActive(pathname, item.href);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? "page" : undefined}
              className={cn(
                "block rounded-md px-3 py-2.5 text-base text-muted hover:bg-surface-2 hover:text-fg md:py-1.5 md:text-sm",
                active && "bg-surface-2 font-medium text-fg",
              )}
            >
              {item.label}
              {item.badge && item.badge.count > 0 ? (
                <span className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-error px-1.5 text-xs font-semibold text-white" data-testid={item.badge.testId}>
                  {item.badge.count}
                  <span className="sr-only"> {item.badge.label}</span>
                </span>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
