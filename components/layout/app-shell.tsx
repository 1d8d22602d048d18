import Link from "next/link";
import { NavLinks, type NavItem } from "./nav-links";
import { ShellFrame } from "./shell-frame";

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
  { href: "/settings/discovery", label: "Discovery" },
];

/** The signed-in frame: the navigation (a sidebar, or a menu on a phone), the user menu, the page. */
export function AppShell({ children, user, isAdmin = false, firingAlerts = null }: { children: React.ReactNode; user?: React.ReactNode; isAdmin?: boolean; firingAlerts?: number | null }) {
  const nav = NAV.map((item) => (item.href === "/alerts" && firingAlerts ? { ...item, badge: { count: firingAlerts, label: "firing", testId: "alerts-badge" } } : item));
  return (
    <ShellFrame
      brand={
        <Link href="/" className="flex items-center gap-2 text-base font-semibold tracking-tight">
          <span aria-hidden className="inline-block size-2.5 rounded-full bg-accent" />
          Tether
        </Link>
      }
      user={user}
      menuBadge={firingAlerts ? { count: firingAlerts, label: "alerts firing" } : null}
      nav={
        <>
          <NavLinks items={nav} />
          {isAdmin ? (
            <>
              <p className="mt-5 mb-1 px-3 text-xs font-medium tracking-wide text-muted uppercase">Admin</p>
              <NavLinks items={ADMIN_NAV} />
            </>
          ) : null}
        </>
      }
    >
      {children}
    </ShellFrame>
  );
}
