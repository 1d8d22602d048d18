/**
 * Roles come only from Tether's configuration: `admin` when the user's email is in
 * TETHER_ADMIN_EMAILS or one of their groups is in TETHER_ADMIN_GROUPS, otherwise `viewer`.
 * Who may sign in at all is TETHER_ALLOWED_DOMAINS / TETHER_ALLOWED_GROUPS (empty = anyone the
 * identity provider authenticates); admins are always allowed.
 */
export const ROLES = ["viewer", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface RolePolicy {
  adminEmails: string[];
  adminGroups: string[];
  allowedDomains: string[];
  allowedGroups: string[];
}

export interface Identity {
  email: string | null;
  groups: string[];
}

const lower = (xs: string[]) => xs.map((x) => x.trim().toLowerCase()).filter(Boolean);

export function isAdmin(who: Identity, policy: RolePolicy): boolean {
  const email = who.email?.toLowerCase() ?? null;
  if (email && lower(policy.adminEmails).includes(email)) return true;
  const groups = lower(who.groups);
  return lower(policy.adminGroups).some((g) => groups.includes(g));
}

/** Whether this identity may use Tether at all, and if not, why (shown on the refusal page). */
export function admission(who: Identity, policy: RolePolicy): { allowed: true } | { allowed: false; reason: string } {
  if (isAdmin(who, policy)) return { allowed: true };
  const domains = lower(policy.allowedDomains).map((d) => d.replace(/^@/, ""));
  const groups = lower(policy.allowedGroups);
  if (domains.length === 0 && groups.length === 0) return { allowed: true };
  const domain = who.email?.toLowerCase().split("@")[1];
  if (domain && domains.includes(domain)) return { allowed: true };
  const mine = lower(who.groups);
  if (groups.some((g) => mine.includes(g))) return { allowed: true };
  const wanted = [domains.length ? `an email at ${domains.join(", ")}` : null, groups.length ? `membership of ${groups.join(", ")}` : null].filter(Boolean).join(" or ");
  return { allowed: false, reason: `Tether requires ${wanted}.` };
}

export function roleOf(who: Identity, policy: RolePolicy): Role {
  return isAdmin(who, policy) ? "admin" : "viewer";
}

export const atLeast = (role: Role, needed: Role): boolean => needed === "viewer" || role === "admin";

/** The groups claim of an ID token or profile: an array of strings, or one string. */
export function groupsFromClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  if (typeof value === "string" && value) return value.split(/[\s,]+/).filter(Boolean);
  return [];
}
