import { NextResponse, type NextRequest } from "next/server";
import { recordRefusal } from "@/lib/data/refusals";
import { principalFromHeaders } from "@/lib/data/session";
import { env } from "@/lib/env";
import { API_CSP, newNonce, pageCsp, securityHeaders } from "@/lib/security/headers";
import { crossSiteRefusal, hasSessionCookie, isBearer } from "@/lib/security/origin";
import { isDecodablePath } from "@/lib/security/path";

/**
 * Every request but static files and the receivers passes here, in this order:
 * 1. a path with a malformed percent-escape → 400 (Next itself would answer 500);
 * 2. a state-changing request that authenticates by cookie without Tether's own Origin → 403,
 *    audited (cross-site request forgery; lib/security/origin.ts);
 * 3. the optimistic sign-in check: no session cookie and no bearer token → pages 307 to the
 *    sign-in page with their path as callbackUrl, API routes 401. The real checks (the
 *    session's signature, that it was not ended, its role) are in the data access layer and in
 *    every route handler; this proxy deliberately does not refresh the session (a cookie set
 *    here could land after sign-out's deletion);
 * 4. security headers on the answer: pages get a CSP with a fresh nonce, which Next reads from
 *    the request's Content-Security-Policy header and puts on its scripts; API answers a CSP
 *    that allows nothing (lib/security/headers.ts).
 *
 * The push and event receivers do not pass here (see `config`): a proxy buffers at most 10 MB
 * of a body it sees, which broke the signature of larger pushes; they check their own callers
 * and add the same headers themselves. next.config.ts gives static files the headers that do
 * not depend on the request.
 */
const RECEIVERS = /^\/api\/(webhooks|events)\//;
const PUBLIC = [/^\/login(\/|$)/, /^\/api\/auth(\/|$)/, /^\/api\/health$/, RECEIVERS];

export default async function proxy(req: NextRequest) {
  const e = env();
  const { pathname, search } = req.nextUrl;
  const nonce = pathname.startsWith("/api/") ? null : newNonce();
  const csp = nonce ? pageCsp(nonce, e) : API_CSP;
  const secured = <T extends Response>(res: T): T => {
    for (const [k, v] of Object.entries(securityHeaders(e, csp))) res.headers.set(k, v);
    return res;
  };

  if (!isDecodablePath(pathname)) return secured(NextResponse.json({ error: "malformed percent-escape in the path" }, { status: 400 }));

  // The receivers' paths never authenticate by cookie (a stray one changes nothing there).
  const crossSite = RECEIVERS.test(pathname) ? null : crossSiteRefusal(req, e.AUTH_URL);
  if (crossSite) {
    const who = await principalFromHeaders(req.headers);
    if (who) await recordRefusal(who, { action: "request.cross-site", targetKind: "request", target: `${req.method} ${pathname}`, detail: crossSite });
    return secured(NextResponse.json({ error: `cross-site request refused: ${crossSite}` }, { status: 403 }));
  }

  if (!PUBLIC.some((p) => p.test(pathname)) && !hasSessionCookie(req.headers) && !isBearer(req.headers)) {
    if (pathname.startsWith("/api/")) return secured(NextResponse.json({ error: "sign-in required" }, { status: 401 }));
    const login = new URL("/login", req.nextUrl.origin);
    login.searchParams.set("callbackUrl", `${pathname}${search}`);
    return secured(NextResponse.redirect(login, 307));
  }

  const forwarded = new Headers(req.headers);
  if (nonce) forwarded.set("content-security-policy", csp);
  return secured(NextResponse.next({ request: { headers: forwarded } }));
}

export const config = {
  // Not: static files; the receivers (webhooks, EventBridge events), which must see their request
  // body unbuffered and whole; and the liveness probe (a load balancer's health check costs only
  // the route itself). Each sets its own security headers. Other paths under /api/webhooks/
  // (unknown providers, malformed escapes) still come here.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|api/webhooks/(?:github|gitlab|bitbucket)$|api/events/codepipeline$|api/health$).*)"],
};
