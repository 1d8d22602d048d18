import type { Env } from "@/lib/env";

/**
 * Security headers. Pages get a Content-Security-Policy with a fresh nonce per response (set
 * by proxy.ts; Next puts the nonce on its own scripts), so no script runs that Tether's server
 * did not put in the page, and what those scripts load ('strict-dynamic'); no 'unsafe-inline'
 * for scripts or styles. Everything else (API answers, receivers, static files) gets a policy
 * that allows nothing. Every response: no framing (frame-ancestors and X-Frame-Options), no
 * MIME sniffing, no Referer; HSTS when AUTH_URL is https.
 */

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The same for every response, whatever its kind: also what next.config.ts sets on static files. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

export const HSTS = "max-age=63072000; includeSubDomains";

/** A nonce for one response: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** Where sign-in forms go: Tether itself, then the identity providers it redirects to. */
function formTargets(e: Env): string[] {
  const out = ["'self'"];
  if (e.TETHER_OIDC_ISSUER && e.TETHER_OIDC_CLIENT_ID) out.push(new URL(e.TETHER_OIDC_ISSUER).origin);
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) out.push("https://github.com");
  return out;
}

export function pageCsp(nonce: string, e: Env): string {
  return [
    "default-src 'self'",
    // React needs eval in development only (its error overlays); never in production.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${e.NODE_ENV === "development" ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${formTargets(e).join(" ")}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(e: Pick<Env, "AUTH_URL">, csp: string): Record<string, string> {
  return {
    "Content-Security-Policy": csp,
    ...COMMON_HEADERS,
    ...(e.AUTH_URL?.startsWith("https://") ? { "Strict-Transport-Security": HSTS } : {}),
  };
}
