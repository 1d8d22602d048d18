import { hash } from "node:crypto";
import { connectionArn } from "./arns";
import { deterministicUuid } from "./fixtures/builder";
import type { OrgAccountRecord } from "./services/organizations/store";
import type { EmulatorState } from "./state";

/**
 * Member accounts of the `org` fixture's organization: their ids, the roles they carry, and the
 * account the control API adds at run time (`POST /_emulator/organization/accounts`).
 */

/** The read-only role Tether assumes in every member account (deployed by a StackSet in AWS). */
export const TETHER_ROLE = "TetherReadOnly";
/** The role AWS Organizations creates in every account it creates. */
export const ORGANIZATION_ACCESS_ROLE = "OrganizationAccountAccessRole";

/** The Regions of an account the control API adds: the two default Regions and one opt-in, enabled. */
export const ADDED_ACCOUNT_OPT_IN = "eu-central-2";
export const ADDED_ACCOUNT_CONNECTION_REGION = "us-east-1";

/** Member number n's 12-digit id: the SHA-256 of `org/account/<n>`, as decimal digits. */
export function memberAccountId(n: number): string {
  const hex = hash("sha256", `org/account/${n}`, "hex").slice(0, 24);
  return (BigInt(`0x${hex}`) % 1_000_000_000_000n).toString().padStart(12, "0");
}

/** The first member id from number `from` on that no account uses yet, with its number. */
export function nextMemberAccountId(taken: (id: string) => boolean, from: number): { id: string; n: number } {
  for (let n = from; ; n++) {
    const id = memberAccountId(n);
    if (!taken(id)) return { id, n };
  }
}

/** `payments-prod` → `aws+payments-prod@acme.example`. */
export function memberEmail(slugName: string): string {
  return `aws+${slugName}@acme.example`;
}

/** Lower case, runs of anything but letters and digits → `-`, trimmed, at most `max` characters. */
export function slug(name: string, max = 20): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/, "");
  return s || "account";
}

export interface AddAccountRequest {
  name: string;
  /** An OU's name; absent: the root. */
  ou?: string;
  withRole: boolean;
}

export type AddAccountResult =
  | {
      ok: true;
      account: OrgAccountRecord;
      arn: string;
      parent: { id: string; name: string };
      roles: string[];
      regions: { name: string; status: string }[];
      connections: string[];
    }
  | { ok: false; status: number; message: string };

/**
 * Reads a `POST /_emulator/organization/accounts` body: `{"name", "ou"?, "withRole"?}` (name 1–50
 * characters without control characters, as CreateAccount's AccountName; withRole default true).
 */
export function parseAddAccount(body: unknown): { ok: true; request: AddAccountRequest } | { ok: false; message: string } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, message: 'Expected a JSON object body {"name", "ou"?, "withRole"?}.' };
  }
  const input = body as Record<string, unknown>;
  const known = ["name", "ou", "withRole"];
  const unknown = Object.keys(input).filter((k) => !known.includes(k));
  if (unknown.length) return { ok: false, message: `Unknown field(s) ${unknown.join(", ")}; expected ${known.join(", ")}.` };
  const problems: string[] = [];
  const { name, ou, withRole } = input;
  if (typeof name !== "string" || name.trim() === "" || name.length > 50 || /\p{Cc}/u.test(name)) {
    problems.push('"name" must be a string of 1 to 50 characters without control characters');
  }
  if (ou !== undefined && (typeof ou !== "string" || ou.trim() === "")) problems.push('"ou" must be the name of an organizational unit');
  if (withRole !== undefined && typeof withRole !== "boolean") problems.push('"withRole" must be true or false');
  if (problems.length) return { ok: false, message: `Invalid account: ${problems.join("; ")}.` };
  return {
    ok: true,
    request: { name: (name as string).trim(), ...(typeof ou === "string" ? { ou } : {}), withRole: withRole !== false },
  };
}

/**
 * Adds an ACTIVE member account (JoinedMethod CREATED, joined now) under the OU named `ou` (the
 * root when absent): the next free member id, the roles `OrganizationAccountAccessRole` and —
 * with `withRole` — `TetherReadOnly`, the Regions us-east-1 and eu-west-1 (default) and
 * eu-central-2 (opt-in, ENABLED), and one AVAILABLE GitHub connection homed in us-east-1.
 * Fails (409) without an organization and (400) for an unknown OU; changes nothing then.
 */
export function addMemberAccount(state: EmulatorState, request: AddAccountRequest): AddAccountResult {
  const store = state.organization;
  const org = store.organization;
  if (!org) {
    return {
      ok: false,
      status: 409,
      message: `The emulator has no organization (fixture ${state.fixture}): seed the org fixture first (POST /_emulator/seed {"fixture":"org"}).`,
    };
  }
  let parent = { id: org.rootId, name: "Root" };
  if (request.ou !== undefined) {
    const ou = store.ouByName(request.ou);
    if (!ou) {
      const names = [...store.ous.values()].map((o) => o.name).join(", ");
      return { ok: false, status: 400, message: `No organizational unit named ${JSON.stringify(request.ou)}; the organization has ${names}.` };
    }
    parent = { id: ou.id, name: ou.name };
  }
  const taken = (id: string) => store.accounts.has(id) || state.accounts.has(id);
  const { id } = nextMemberAccountId(taken, store.accounts.size);
  const base = slug(request.name, 40);
  const emails = new Set([...store.accounts.values()].map((a) => a.email));
  const email = emails.has(memberEmail(base)) ? memberEmail(`${base}-${id}`) : memberEmail(base);
  const account = store.addAccount({
    id,
    name: request.name,
    email,
    state: "ACTIVE",
    joinedMethod: "CREATED",
    joinedAt: state.now(),
    parentId: parent.id,
  });
  const roles = request.withRole ? [TETHER_ROLE, ORGANIZATION_ACCESS_ROLE] : [ORGANIZATION_ACCESS_ROLE];
  state.accounts.add(id);
  state.roles.set(id, new Set(roles));
  state.regions.setOptIns(id, { [ADDED_ACCOUNT_OPT_IN]: "ENABLED" });
  const connectionName = `${slug(request.name)}-github`;
  const connection = state.codeConnections.addConnection({
    uuid: deterministicUuid(`org/${id}/${ADDED_ACCOUNT_CONNECTION_REGION}/${connectionName}`),
    account: id,
    region: ADDED_ACCOUNT_CONNECTION_REGION,
    name: connectionName,
    providerType: "GitHub",
    ownerAccountId: id,
    status: "AVAILABLE",
    prefix: "codeconnections",
    tags: [
      { Key: "team", Value: slug(request.name).split("-")[0] ?? "account" },
      { Key: "managed-by", Value: "control-api" },
    ],
  });
  return {
    ok: true,
    account,
    arn: store.accountArn(id),
    parent,
    roles,
    regions: state.regions.regionsOf(id),
    connections: [connectionArn(connection)],
  };
}
