import { AppShell } from "@/components/layout/app-shell";
import { UserMenu } from "@/components/layout/user-menu";
import { signOut } from "@/lib/auth";
import { firingAlertCount } from "@/lib/data/alerts";
import { currentPrincipal } from "@/lib/data/session";

async function signOutAction() {
  "use server";
  await signOut({ redirectTo: "/login" });
}

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  // Display only: every page checks access itself (guardPage) and so does the data layer.
  const p = await currentPrincipal();
  // The navigation's badge: how many alerts fire (for anyone who may see them).
  const firing = p?.allowed ? await firingAlertCount().catch(() => null) : null;
  return (
    <AppShell
      isAdmin={p?.role === "admin"}
      firingAlerts={firing}
      header={
        p ? (
          <header className="flex items-center justify-end border-b border-border bg-surface px-4 py-2 md:px-8">
            <UserMenu name={p.name} email={p.via === "session" && p.id !== p.name ? p.id : null} role={p.role} signOutAction={signOutAction} />
          </header>
        ) : null
      }
    >
      {children}
    </AppShell>
  );
}
