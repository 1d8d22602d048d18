import "server-only";
import { getStore } from "@/lib/store";

/** A connection is `{account, uuid}` (account-global): a pipeline in any Region of the account can use it. */
const connKey = (account: string, id: string) => `${account}/${id.toLowerCase()}`;

/**
 * How many pipelines use a connection, from the store: `(account, uuid) → count`, or null while
 * some configured scope of its account has never been mapped (a pipeline in any Region of the
 * account may use it, so the count is only known once every one of them was).
 */
export async function pipelineUsage(scopes: readonly { account: string; region: string }[]): Promise<(account: string, id: string) => number | null> {
  const store = getStore();
  const mapped = await store.pipelines.mapped();
  const complete = new Map<string, boolean>();
  for (const s of scopes) complete.set(s.account, (complete.get(s.account) ?? true) && mapped.has(`${s.account}/${s.region}`));
  const counts = new Map<string, Set<string>>();
  for (const u of await store.pipelines.uses()) {
    const k = connKey(u.connectionAccount, u.connectionId);
    const set = counts.get(k) ?? new Set<string>();
    set.add(`${u.account}/${u.region}/${u.pipeline}`);
    counts.set(k, set);
  }
  return (account, id) => (complete.get(account) ? (counts.get(connKey(account, id))?.size ?? 0) : null);
}
