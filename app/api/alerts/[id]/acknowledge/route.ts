import { NextResponse } from "next/server";
import { errorResponse, jsonBody, routeParams } from "@/lib/api";
import { acknowledgeAlert } from "@/lib/data/alerts";

export const dynamic = "force-dynamic";

/**
 * Admin: `{"reason": "…"}` → the alert is acknowledged (no more re-notifications), audited →
 * {"alert", "auditId"}. The role is checked before the body is read: a viewer gets 403 (audited)
 * whatever it sends.
 */
export async function POST(req: Request, ctx: RouteContext<"/api/alerts/[id]/acknowledge">) {
  try {
    const { id } = await routeParams(ctx.params);
    return NextResponse.json(await acknowledgeAlert(id, jsonBody(req)), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
