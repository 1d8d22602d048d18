import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { guardPage } from "@/lib/data/guards";
import { EXPIRY_DAYS, listTokens } from "@/lib/data/tokens";
import { utcTime } from "@/lib/labels";
import { createTokenAction, revokeTokenAction } from "./actions";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  await guardPage("admin", "/settings/tokens", { sessionOnly: true });
  const tokens = await listTokens();
  return (
    <>
      <PageHeader title="API tokens" description="For scripts and other tools: send a token as Authorization: Bearer on any API route. Tokens are stored hashed. A token acts with at most its creator's current role; admin tokens expire within 90 days." />
      <Card className="mb-6">
        <CardHeader title="Create a token" />
        <div className="p-4">
          <CreateTokenForm action={createTokenAction} expiries={EXPIRY_DAYS} />
        </div>
      </Card>
      <Card>
        <CardHeader title={`Tokens (${tokens.length})`} />
        {tokens.length === 0 ? (
          <EmptyState title="No tokens yet" />
        ) : (
          <DataTable testId="tokens-table" columns={["Name", "Role", "Created", "Expires", "Last used", "State", { label: "Actions", srOnly: true }]}>
            <tbody className="divide-y divide-border">
              {tokens.map((t) => (
                <tr key={t.id} data-token-name={t.name}>
                  <td className="px-3 py-2">
                    {t.name} <span className="font-mono text-xs text-muted">{t.hint}</span>
                  </td>
                  <td className="px-3 py-2">{t.role}</td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">
                    {utcTime(t.createdAt)}
                    <span className="block text-muted">{t.createdBy}</span>
                  </td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">{t.expiresAt ? utcTime(t.expiresAt) : "never"}</td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap">{t.lastUsedAt ? utcTime(t.lastUsedAt) : "never"}</td>
                  <td className="px-3 py-2 text-xs" data-testid="token-state">
                    {t.state}
                    {t.revokedBy ? <span className="block text-muted">by {t.revokedBy}</span> : null}
                  </td>
                  <td className="px-3 py-2 text-right">
                    {t.state === "active" ? (
                      <form action={revokeTokenAction}>
                        <input type="hidden" name="id" value={t.id} />
                        <Button type="submit" variant="ghost" aria-label={`Revoke ${t.name}`}>
                          Revoke
                        </Button>
                      </form>
                    ) : null}
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
