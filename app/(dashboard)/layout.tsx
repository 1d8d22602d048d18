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
      user={p ? <UserMenu name={p.name} email={p.via === "session" && p.id !== p.name ? p.id : null} role={p.role} signOutAction={signOutAction} /> : null}
    >
      {children}
    </AppShell>
  );
}
