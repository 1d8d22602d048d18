import type { NextAuthConfig, Session } from "next-auth";
import GitHub from "next-auth/providers/github";
import type { Provider } from "next-auth/providers";
import type { Env } from "./env";
import { admission, groupsFromClaim, roleOf, type Role, type RolePolicy } from "./roles";

/**
 * Auth.js configuration from Tether's settings: a generic OpenID Connect provider
 * (TETHER_OIDC_*) and, optionally, GitHub. Roles are never taken from the identity provider:
 * the token keeps only who the user is (email, groups) and the role is derived from Tether's
 * configuration on every request, so changing an admin list takes effect at once.
 */

declare module "next-auth" {
  interface Session {
    user: { name?: string | null; email?: string | null; image?: string | null; role: Role; groups: string[]; allowed: boolean; refusal?: string };
  }
  interface User {
    groups?: string[];
  }
}

export const policyFrom = (e: Env): RolePolicy => ({
  adminEmails: e.TETHER_ADMIN_EMAILS,
  adminGroups: e.TETHER_ADMIN_GROUPS,
  allowedDomains: e.TETHER_ALLOWED_DOMAINS,
  allowedGroups: e.TETHER_ALLOWED_GROUPS,
});

/** Only Tether's own paths: `/x` (not `//host`), or a URL on the app's own origin. */
export function safeRedirect(url: string | null | undefined, baseUrl: string): string {
  if (!url) return baseUrl;
  if (url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\")) return `${baseUrl}${url}`;
  try {
    const target = new URL(url);
    if (target.origin === new URL(baseUrl).origin) return target.toString();
  } catch {
    // not a URL
  }
  return baseUrl;
}

/** The path part of a callbackUrl, or "/" when it points anywhere but Tether. */
export function safeCallbackPath(url: string | null | undefined): string {
  if (!url || !url.startsWith("/") || url.startsWith("//") || url.startsWith("/\\")) return "/";
  return url;
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
        return { id: String(p.sub), name, email, groups: groupsFromClaim(p[claim]) };
      },
    });
  }
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) {
    list.push(GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET }));
  }
  return list;
}

export const providerInfo = (e: Env): ProviderInfo[] =>
  providersFrom(e).map((p) => {
    const c = typeof p === "function" ? p() : p;
    return { id: c.id, name: c.name };
  });

export function authConfig(e: Env): NextAuthConfig {
  const policy = policyFrom(e);
  return {
    secret: e.AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login", error: "/login" },
    providers: providersFrom(e),
    callbacks: {
      signIn({ user }) {
        const verdict = admission({ email: user.email ?? null, groups: user.groups ?? [] }, policy);
        return verdict.allowed ? true : "/login?error=AccessDenied";
      },
      jwt({ token, user }) {
        if (user) {
          token.email = user.email ?? null;
          token.name = user.name ?? null;
          token.groups = user.groups ?? [];
        }
        return token;
      },
      session({ session, token }) {
        const who = { email: typeof token.email === "string" ? token.email : null, groups: groupsFromClaim(token.groups) };
        const verdict = admission(who, policy);
        const out: Session = {
          expires: session.expires,
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
  };
}
