import { NextResponse, type NextRequest } from "next/server";

/**
 * Optimistic check only: is there a session cookie (or a bearer token) at all? Signed-out page
 * requests go to the sign-in page with their path as callbackUrl (307); signed-out API requests
 * get 401. Requests with a bearer token pass through: the data layer checks the token. The real
 * checks (the session's signature, expiry and role) are in the data access layer and in every
 * route handler. The proxy deliberately does not decode or refresh the session: a refreshed
 * cookie set here could land after sign-out's deletion and keep the session alive.
 */
const PUBLIC = [/^\/login(\/|$)/, /^\/api\/auth(\/|$)/, /^\/api\/health$/, /^\/api\/webhooks\//, /^\/api\/events\//];
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

export default function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (PUBLIC.some((p) => p.test(pathname))) return NextResponse.next();
  if (req.cookies.getAll().some((c) => SESSION_COOKIE.test(c.name) && c.value)) return NextResponse.next();
  if (/^Bearer\s/i.test(req.headers.get("authorization") ?? "")) return NextResponse.next();
  if (pathname.startsWith("/api/")) return NextResponse.json({ error: "sign-in required" }, { status: 401 });
  const login = new URL("/login", req.nextUrl.origin);
  login.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(login, 307);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
