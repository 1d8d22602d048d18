import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { isAppError, publicMessage } from "@/lib/errors";
import type { Role } from "@/lib/roles";
import { requireRole, type Principal } from "@/lib/data/session";

/** JSON error answer: `{"error": "..."}` with the error's status (500 and a log line for bugs). */
export function errorResponse(e: unknown): NextResponse {
  if (!isAppError(e)) console.error("[tether] route failed", e);
  return NextResponse.json({ error: publicMessage(e) }, { status: isAppError(e) ? e.status : 500, headers: { "cache-control": "no-store" } });
}

/**
 * A route handler that re-checks the caller (session or API token) before doing anything:
 * 401 signed out, 403 wrong role, and any failure as a JSON error, never a stack trace.
 */
export function apiRoute<Ctx>(role: Role, handler: (req: NextRequest, ctx: Ctx, principal: Principal) => Promise<Response>) {
  return async (req: NextRequest, ctx: Ctx): Promise<Response> => {
    try {
      const principal = await requireRole(role);
      return await handler(req, ctx, principal);
    } catch (e) {
      return errorResponse(e);
    }
  };
}
