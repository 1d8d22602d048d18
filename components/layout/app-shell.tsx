import Link from "next/link";
import { NavLinks, type NavItem } from "./nav-links";

const NAV: NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/connections", label: "Connections" },
  { href: "/hosts", label: "Hosts" },
  { href: "/pending", label: "Pending" },
  { href: "/pipelines", label: "Pipelines" },
  { href: "/latency", label: "Latency" },
  { href: "/alerts", label: "Alerts" },
];

const ADMIN_NAV: NavItem[] = [
  { href: "/audit", label: "Audit log" },
  { href: "/settings/tokens", label: "API tokens" },
  { href: "/settings/sessions", label: "Sessions" },
];

export function AppShell({ children, header, isAdmin = false, firingAlerts = null }: { children: React.ReactNode; header?: React.ReactNode; isAdmin?: boolean; firingAlerts?: number | null }) {
  const nav = NAV.map((item) => (item.href === "/alerts" && firingAlerts ? { ...item, badge: { count: firingAlerts, label: "firing", testId: "alerts-badge" } } : item));
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:m-2 focus:rounded focus:bg-surface focus:p-2">
        Skip to content
      </a>
      <nav aria-label="Main" className="border-b border-border bg-surface px-3 py-3 md:w-52 md:shrink-0 md:border-r md:border-b-0">
        <Link href="/" className="mb-4 flex items-center gap-2 px-3 text-base font-semibold tracking-tight">
          <span aria-hidden className="inline-block size-2.5 rounded-full bg-accent" />
          Tether
        </Link>
        <NavLinks items={nav} />
        {isAdmin ? (
          <>
            <p className="mt-5 mb-1 px-3 text-xs font-medium tracking-wide text-muted uppercase">Admin</p>
            <NavLinks items={ADMIN_NAV} />
          </>
        ) : null}
      </nav>
      <div className="flex min-w-0 flex-1 flex-col">
        {header}
        <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 md:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
