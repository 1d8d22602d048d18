import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Card } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { guardPage } from "@/lib/data/guards";
import { listSignedIn } from "@/lib/data/sessions";
import { env } from "@/lib/env";
import { utcTime } from "@/lib/labels";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage() {
  await guardPage("admin", "/settings/sessions", { sessionOnly: true });
  const users = await listSignedIn();
  const hours = env().TETHER_SESSION_MAX_HOURS;
  return (
    <>
      <PageHeader
        title="Sessions"
        description={`Who is signed in. A session ends at sign-out, ${hours} hours after sign-in (TETHER_SESSION_MAX_HOURS) whatever the activity, or when an admin ends it here; groups are read again at the next sign-in.`}
      />
      <Card>
        {users.length === 0 ? (
          <EmptyState title="Nobody is signed in" />
        ) : (
          <DataTable testId="sessions-table" columns={["User", "Sessions", "Last sign-in", "Ends by", "Groups", { label: "Actions", srOnly: true }]}>
            <tbody className="divide-y divide-border">
              {users.map((u) => (
                <tr key={u.user} data-session-user={u.user}>
                  <td className="px-3 py-2">
                    {u.user}
                    {u.name && u.name !== u.user ? <span className="block text-xs text-muted">{u.name}</span> : null}
                  </td>
                  <td className="px-3 py-2">{u.sessions}</td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">{utcTime(u.lastSignIn)}</td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">{utcTime(u.until)}</td>
                  <td className="px-3 py-2 text-xs text-muted">{u.groups.join(", ") || "—"}</td>
                  <td className="px-3 py-2 text-right">
                    <ConfirmAction
                      label="End sessions"
                      ariaLabel={`End sessions of ${u.user}`}
                      title={`End every session of ${u.user}?`}
                      body="Every browser signed in as this user is signed out at its next request. They can sign in again if they are still allowed to."
                      confirmLabel="End sessions"
                      method="DELETE"
                      url={`/api/sessions?user=${encodeURIComponent(u.user)}`}
                      variant="danger"
                      done={`Ended every session of ${u.user}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </Card>
    </>
  );
}
