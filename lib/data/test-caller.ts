import { newToken } from "@/lib/api-tokens";
import type { Role } from "@/lib/roles";

/**
 * Tests of the data layer: who calls. Stores an API token of `role` and sets it as the Bearer
 * header of `headers`, which the test hands to the data layer by mocking `next/headers`. The store
 * is the one the test configured (imported here after its environment and singletons were reset).
 */
export async function callAs(headers: Headers, role: Role, opts: { id?: string; name?: string; createdBy?: string; expiresAt?: string | null } = {}): Promise<void> {
  const { getStore } = await import("@/lib/store");
  const t = newToken();
  await getStore().tokens.create({
    id: opts.id ?? "t1",
    name: opts.name ?? "ops",
    role,
    hash: t.hash,
    hint: t.hint,
    createdBy: opts.createdBy ?? "ops@example.com",
    createdAt: new Date().toISOString(),
    expiresAt: opts.expiresAt === undefined ? new Date(Date.now() + 86_400_000).toISOString() : opts.expiresAt,
  });
  headers.set("authorization", `Bearer ${t.token}`);
}
