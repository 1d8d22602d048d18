import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { recordRefusal } from "@/lib/data/refusals";
import { currentPrincipal, requireRole, type Principal } from "@/lib/data/session";
import { env } from "@/lib/env";
import { AppError, isAppError, publicMessage } from "@/lib/errors";
import { atLeast, type Role } from "@/lib/roles";
import { API_CSP, securityHeaders } from "@/lib/security/headers";
import { isPlainSegment } from "@/lib/security/path";
import { DatabaseUnavailableError, logUnavailable } from "@/lib/store/errors";

/**
 * The headers of an answer that proxy.ts does not see (the receivers, the liveness probe): the
 * security headers, and no caching or transforming — a few bytes of JSON are not worth gzip, and
 * Next would otherwise compress every streamed answer whatever its size.
 */
export const receiverHeaders = (): Record<string, string> => ({ ...securityHeaders(env(), API_CSP), "cache-control": "no-store, no-transform" });

export function withHeaders<T extends Response>(res: T, headers: Record<string, string>): T {
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

/**
 * JSON error answer: `{"error": "..."}` with the error's status (500 and a log line for bugs; a log
 * line, at most every 30 s, while the database is unreachable).
 */
export function errorResponse(e: unknown): NextResponse {
  if (e instanceof DatabaseUnavailableError) logUnavailable(e, "route");
  else if (!isAppError(e)) console.error("[tether] route failed", e);
  const status = isAppError(e) ? e.status : 500;
  // 503: worth trying again (a provider redelivers a webhook), not before a few seconds.
  return NextResponse.json({ error: publicMessage(e) }, { status, headers: { "cache-control": "no-store", ...(status === 503 ? { "retry-after": "10" } : {}) } });
}

/**
 * A route handler's dynamic segments, as Next decoded them (once). A segment that still holds
 * "%" or a control character names nothing Tether has: 404, never a second decode
 * (lib/security/path.ts).
 */
export async function routeParams<T extends Record<string, string>>(params: Promise<T>): Promise<T> {
  const p = await params;
  if (!Object.values(p).every(isPlainSegment)) throw new AppError("not_found", "no such resource");
  return p;
}

/**
 * A route handler that re-checks the caller (session or API token) before doing anything:
 * 401 signed out, 403 wrong role, and any failure as a JSON error, never a stack trace.
 * With `audit`, a caller refused for their role is recorded (admin actions).
 */
export function apiRoute<Ctx>(role: Role, handler: (req: NextRequest, ctx: Ctx, principal: Principal) => Promise<Response>, audit?: { action: string; targetKind: string }) {
  return async (req: NextRequest, ctx: Ctx): Promise<Response> => {
    try {
      const caller = audit ? await currentPrincipal() : null;
      if (audit && caller && (!caller.allowed || !atLeast(caller.role, role))) {
        await recordRefusal(caller, { action: audit.action, targetKind: audit.targetKind, target: `${req.method} ${req.nextUrl.pathname}`, detail: caller.allowed ? `role ${caller.role}` : "not allowed" });
      }
      const principal = await requireRole(role);
      return await handler(req, ctx, principal);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

/** Largest JSON body an action route reads. */
export const MAX_ACTION_BODY = 10_000;

/**
 * A request's JSON body, read when called (pass it as a thunk, so a data function reads it only
 * after the caller's role was checked): an empty body is `{}`; more than MAX_ACTION_BODY bytes or
 * text that is not JSON is 400 with a message saying so.
 */
export function jsonBody(req: Request): () => Promise<unknown> {
  return async () => {
    const declared = Number(req.headers.get("content-length") ?? "0");
    if (declared > MAX_ACTION_BODY) throw new AppError("bad_request", `body: at most ${MAX_ACTION_BODY} bytes of JSON`);
    const text = await req.text();
    if (text.length > MAX_ACTION_BODY) throw new AppError("bad_request", `body: at most ${MAX_ACTION_BODY} bytes of JSON`);
    if (!text.trim()) return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AppError("bad_request", 'body: not JSON (send Content-Type: application/json and a JSON object, e.g. {"reason": "…"})');
    }
  };
}
