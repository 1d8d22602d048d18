import { parseConnectionsArn } from "@/lib/arn";
import type { StoredPipeline } from "@/lib/store/types";
import type { ConnectionState, ExecutionFacts, Health, SourceView } from "@/lib/types";
import { assessHealth } from "./health";
import { diagnose } from "./triggers";

/**
 * A pipeline's sources (with their connection and trigger diagnosis) and its verdict, from what
 * is known of the connections it names. The pages know connections from the inventory they list;
 * the alert evaluation from the store's history. Both go through here, so they agree.
 */

/** What is known of the connections of the configured accounts. */
export interface ConnectionLookup {
  /** A connection by account and UUID (connections are account-global). */
  get(account: string, id: string): { name: string; status: string } | undefined;
  /** Whether the account's connections were ever listed completely; undefined: not configured. */
  listed(account: string): boolean | undefined;
}

export const connectionKey = (account: string, id: string) => `${account}/${id.toLowerCase()}`;

/** A lookup over known connections and the accounts' listing state. */
export function connectionLookup(connections: readonly { account: string; id: string; name: string; status: string }[], listed: ReadonlyMap<string, boolean>): ConnectionLookup {
  const byKey = new Map(connections.map((c) => [connectionKey(c.account, c.id), { name: c.name, status: c.status }]));
  return { get: (account, id) => byKey.get(connectionKey(account, id)), listed: (account) => listed.get(account) };
}

/** The state of a source action's connection: exists (with its status), missing, or unknown (and why). */
export function connectionStateOf(lookup: ConnectionLookup, account: string, id: string): ConnectionState {
  const c = lookup.get(account, id);
  if (c) return { exists: true, status: c.status, name: c.name };
  const listed = lookup.listed(account);
  if (listed === undefined) return { exists: "unknown", reason: `account ${account} is not configured` };
  if (!listed) return { exists: "unknown", reason: `the connections of ${account} could not be listed` };
  return { exists: false };
}

/** Every source action with its connection and diagnosis, and the pipeline's health verdict. */
export function assessPipeline(lookup: ConnectionLookup, p: StoredPipeline, executions: readonly ExecutionFacts[], now: number): { sources: SourceView[]; health: Health } {
  const sources: SourceView[] = p.definition.sourceActions.map((a) => {
    const arn = parseConnectionsArn(a.connectionArn);
    const [account, region, id] = arn?.kind === "connection" ? [arn.account, arn.region, arn.id] : ["", "", a.connectionArn];
    const state: ConnectionState = arn?.kind === "connection" ? connectionStateOf(lookup, account, id) : { exists: false };
    return {
      ...a,
      connection: {
        id,
        account,
        region,
        name: state.exists === true ? state.name : null,
        status: state.exists === true ? state.status : null,
        state: state.exists === true ? "ok" : state.exists === false ? "missing" : "unknown",
      },
      diagnosis: diagnose(p.definition, a, state),
    };
  });
  const health = assessHealth({ diagnoses: sources.map((s) => s.diagnosis), executions: [...executions], swept: p.lastSweptAt !== null, now });
  return { sources, health };
}
