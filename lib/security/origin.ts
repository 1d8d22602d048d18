/**
 * Cross-site request forgery. The session cookie is SameSite=Lax, which a sibling subdomain or
 * another port of the same host does not stop (they are the same site), so a state-changing
 * request that authenticates with the cookie must also carry an Origin equal to Tether's own:
 * AUTH_URL's origin, else (no AUTH_URL) an Origin naming the request's own Host. Browsers send
 * Origin on every request that is not GET or HEAD; Sec-Fetch-Site is not used, since
 * "same-site" is exactly the case to refuse. A request with `Authorization: Bearer` is not
 * cookie-bound (a page cannot make the browser add that header cross-origin without a CORS
 * preflight Tether never grants) and is left to the token check.
 */

/** Auth.js's session cookie, `__Secure-` over HTTPS, chunked as `.0`, `.1`… when large. */
export const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const isBearer = (h: Headers): boolean => /^Bearer\s/i.test(h.get("authorization") ?? "");

/** Whether the request carries a (non-empty) Auth.js session cookie. */
export function hasSessionCookie(h: Headers): boolean {
  return (h.get("cookie") ?? "").split(";").some((pair) => {
    const eq = pair.indexOf("=");
    return eq > 0 && SESSION_COOKIE.test(pair.slice(0, eq).trim()) && pair.slice(eq + 1).trim() !== "";
  });
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** Why this request must be refused as cross-site, or null when it may go on. */
export function crossSiteRefusal(req: { method: string; headers: Headers }, authUrl: string | undefined): string | null {
  const h = req.headers;
  if (SAFE_METHODS.has(req.method.toUpperCase()) || isBearer(h) || !hasSessionCookie(h)) return null;
  const own = authUrl ? new URL(authUrl).origin : null;
  const host = h.get("host");
  const expected = own ?? (host ? `the request's host ${host}` : "unknown (no AUTH_URL, no Host)");
  const origin = h.get("origin");
  if (!origin) return `no Origin header; Tether's origin is ${expected}`;
  if (own ? origin === own : host !== null && hostOf(origin) === host) return null;
  return `Origin ${origin} is not Tether's origin (${expected})`;
}
