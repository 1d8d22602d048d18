import { randomUUID } from "node:crypto";
import type { NextAuthConfig, Session } from "next-auth";
import { encode as encodeJwt, type JWT } from "next-auth/jwt";
import GitHub from "next-auth/providers/github";
import type { Provider } from "next-auth/providers";
import type { Env } from "./env";
import { admission, groupsFromClaim, roleOf, type Role, type RolePolicy } from "./roles";
import type { SessionRepo } from "./store/types";

/**
 * Auth.js configuration from Tether's settings: a generic OpenID Connect provider
 * (TETHER_OIDC_*) and, optionally, GitHub. Roles are never taken from the identity provider:
 * the token keeps only who the user is (email, groups) and the role is derived from Tether's
 * configuration on every request, so changing an admin list takes effect at once.
 *
 * Sessions: the cookie (Auth.js's own, an encrypted JWT) names a server-side session (`sid`)
 * opened at sign-in. It is valid while that session is neither ended (sign-out, or an admin
 * ending the user's sessions) nor older than TETHER_SESSION_MAX_HOURS: the lifetime counts from
 * sign-in and never slides, and the JWT inside the cookie expires at the same moment. Groups
 * are those of the sign-in, so a change at the identity provider applies within that lifetime.
 *
 * A sign-in whose email the identity provider says is not verified (`email_verified: false`) is
 * refused: admin rights and the allowed domains key on the email.
 */

declare module "next-auth" {
  interface Session {
    user: { name?: string | null; email?: string | null; image?: string | null; role: Role; groups: string[]; allowed: boolean; refusal?: string };
  }
  interface User {
    groups?: string[];
    /** False when the identity provider says the email is not verified (absent claim: true). */
    verifiedEmail?: boolean;
  }
}

export const policyFrom = (e: Env): RolePolicy => ({
  adminEmails: e.TETHER_ADMIN_EMAILS,
  adminGroups: e.TETHER_ADMIN_GROUPS,
  allowedDomains: e.TETHER_ALLOWED_DOMAINS,
  allowedGroups: e.TETHER_ALLOWED_GROUPS,
});

const NOWHERE = "http://tether.invalid";

/**
 * A path of Tether's own, normalised, or null. Browsers drop tabs and newlines from URLs and
 * read a backslash as a slash, so `/\t/evil.example` and `/\\evil.example` mean
 * `//evil.example`, another host: no control character, no backslash, and no `//` at the start
 * once dot segments are resolved (`/.//evil.example`).
 */
function ownPath(url: string): string | null {
  if (!url.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(url)) return null;
  let u: URL;
  try {
    u = new URL(url, NOWHERE);
  } catch {
    return null;
  }
  if (u.origin !== NOWHERE || u.pathname.startsWith("//")) return null;
  return `${u.pathname}${u.search}${u.hash}`;
}

/** Only Tether's own paths: a path of its own, or a URL on the app's own origin; else the base. */
export function safeRedirect(url: string | null | undefined, baseUrl: string): string {
  if (!url) return baseUrl;
  let path: string | null = null;
  if (url.startsWith("/")) path = ownPath(url);
  else {
    try {
      const target = new URL(url);
      if (target.origin === new URL(baseUrl).origin) path = ownPath(`${target.pathname}${target.search}${target.hash}`);
    } catch {
      // not a URL
    }
  }
  return path ? `${baseUrl}${path}` : baseUrl;
}

/** The callbackUrl to follow after sign-in: a path of Tether's own, or "/" when it is anything else. */
export function safeCallbackPath(url: string | null | undefined): string {
  return (url ? ownPath(url) : null) ?? "/";
}

/** `email_verified` as identity providers send it (a boolean, sometimes a string); absent: not refused. */
const verifiedClaim = (v: unknown): boolean => !(v === false || v === "false");

type Fetch = (url: string) => Promise<unknown>;

/**
 * GitHub's user with the email sign-in may trust: the primary email and whether GitHub verified
 * it (`GET /user/emails`, scope user:email). Auth.js's default takes the public email, or the
 * first one listed, without looking at verification.
 */
export async function githubUser(accessToken: string, get?: Fetch): Promise<Record<string, unknown>> {
  const api: Fetch =
    get ??
    (async (url) => {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/vnd.github+json", "User-Agent": "tether" } });
      return res.json();
    });
  const profile = (await api("https://api.github.com/user")) as Record<string, unknown>;
  const emails = await api("https://api.github.com/user/emails");
  const primary = Array.isArray(emails) ? (emails as Record<string, unknown>[]).find((e) => e?.primary === true) : undefined;
  return { ...profile, email: typeof primary?.email === "string" ? primary.email : null, email_verified: primary?.verified === true };
}

export interface ProviderInfo {
  id: string;
  name: string;
}

export function providersFrom(e: Env): Provider[] {
  const list: Provider[] = [];
  if (e.TETHER_OIDC_ISSUER && e.TETHER_OIDC_CLIENT_ID) {
    const claim = e.TETHER_OIDC_GROUPS_CLAIM;
    list.push({
      id: "oidc",
      name: "Single sign-on",
      type: "oidc",
      issuer: e.TETHER_OIDC_ISSUER,
      clientId: e.TETHER_OIDC_CLIENT_ID,
      clientSecret: e.TETHER_OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid profile email" } },
      checks: ["pkce", "state"],
      profile(p: Record<string, unknown>) {
        const email = typeof p.email === "string" ? p.email : null;
        const name = [p.name, p.preferred_username, email, p.sub].find((v) => typeof v === "string" && v) as string;
        return { id: String(p.sub), name, email, groups: groupsFromClaim(p[claim]), verifiedEmail: verifiedClaim(p.email_verified) };
      },
    });
  }
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) {
    list.push(
      GitHub({
        clientId: e.AUTH_GITHUB_ID,
        clientSecret: e.AUTH_GITHUB_SECRET,
        userinfo: { url: "https://api.github.com/user", request: ({ tokens }: { tokens: { access_token?: string } }) => githubUser(String(tokens.access_token ?? "")) },
        profile(p: Record<string, unknown>) {
          const email = typeof p.email === "string" ? p.email : null;
          return { id: String(p.id), name: String(p.name ?? p.login ?? email ?? p.id), email, image: typeof p.avatar_url === "string" ? p.avatar_url : null, groups: [], verifiedEmail: p.email_verified === true };
        },
      }),
    );
  }
  return list;
}

export const providerInfo = (e: Env): ProviderInfo[] =>
  providersFrom(e).map((p) => {
    const c = typeof p === "function" ? p() : p;
    return { id: c.id, name: c.name };
  });

/** How long an ended or expired session is kept. */
const SESSION_KEEP_MS = 30 * 86_400_000;

/** The user a session token stands for: the audit's actor (email, else name). */
const actorOf = (token: JWT): string => (typeof token.email === "string" && token.email) || (typeof token.name === "string" && token.name) || "unknown";

/** When the session of this token ends (epoch ms): its sign-in time plus the lifetime. */
const endOf = (token: JWT, maxMs: number): number => (typeof token.sat === "number" ? token.sat * 1000 : 0) + maxMs;

export function authConfig(e: Env, sessions: SessionRepo): NextAuthConfig {
  const policy = policyFrom(e);
  const maxMs = e.TETHER_SESSION_MAX_HOURS * 3600_000;
  return {
    secret: e.AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: Math.ceil(maxMs / 1000) },
    // The JWT in the cookie expires when the session does, not maxAge after the last request.
    jwt: {
      encode: (params) => {
        const left = params.token ? Math.floor((endOf(params.token, maxMs) - Date.now()) / 1000) : 0;
        return encodeJwt({ ...params, maxAge: Math.max(1, Math.min(params.maxAge ?? left, left)) });
      },
    },
    pages: { signIn: "/login", error: "/login" },
    providers: providersFrom(e),
    callbacks: {
      signIn({ user }) {
        if (user.verifiedEmail === false) return "/login?error=EmailUnverified";
        const verdict = admission({ email: user.email ?? null, groups: user.groups ?? [] }, policy);
        return verdict.allowed ? true : "/login?error=AccessDenied";
      },
      async jwt({ token, user }) {
        const now = Date.now();
        if (user) {
          // Sign-in: a new server-side session.
          token.email = user.email ?? null;
          token.name = user.name ?? null;
          token.groups = user.groups ?? [];
          const sid = randomUUID();
          const sat = Math.floor(now / 1000);
          token.sid = sid;
          token.sat = sat;
          await sessions.start({ id: sid, actor: actorOf(token), name: user.name ?? null, groups: user.groups ?? [], createdAt: new Date(sat * 1000).toISOString(), expiresAt: new Date(endOf(token, maxMs)).toISOString() });
          // Sessions over for a month are of no use any more (a token's creator's groups come from
          // their latest sign-in, kept as long as it is the latest: see SessionRepo.prune).
          await sessions.prune(new Date(now - SESSION_KEEP_MS).toISOString());
          return token;
        }
        // Every later use: the session must still be open on the server and within its lifetime.
        if (typeof token.sid !== "string" || typeof token.sat !== "number" || now >= endOf(token, maxMs) || !(await sessions.isActive(token.sid, now))) return null;
        return token;
      },
      session({ session, token }) {
        const who = { email: typeof token.email === "string" ? token.email : null, groups: groupsFromClaim(token.groups) };
        const verdict = admission(who, policy);
        const out: Session = {
          expires: typeof token.sat === "number" ? new Date(endOf(token, maxMs)).toISOString() : session.expires,
          user: {
            name: typeof token.name === "string" ? token.name : who.email,
            email: who.email,
            role: roleOf(who, policy),
            groups: who.groups,
            allowed: verdict.allowed,
            ...(verdict.allowed ? {} : { refusal: verdict.reason }),
          },
        };
        return out;
      },
      redirect({ url, baseUrl }) {
        return safeRedirect(url, baseUrl);
      },
    },
    events: {
      async signOut(message) {
        // Sign-out ends the session on the server: a copy of the cookie made before is worthless.
        const token = "token" in message ? message.token : null;
        if (token && typeof token.sid === "string") await sessions.end(token.sid, actorOf(token), "signed out", new Date().toISOString());
      },
    },
  };
}
