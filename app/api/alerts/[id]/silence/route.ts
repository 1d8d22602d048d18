import { NextResponse } from "next/server";
import { errorResponse, jsonBody, routeParams } from "@/lib/api";
import { silenceAlert } from "@/lib/data/alerts";

export const dynamic = "force-dynamic";

/**
 * Admin: `{"until": "<ISO 8601>", "reason": "…"}` or `{"hours": n, "reason": "…"}` → the alert's
 * notifications are held until then (at most 30 days), audited → {"alert", "auditId"}. The role is
 * checked before the body is read: a viewer gets 403 (audited) whatever it sends.
 */
export async function POST(req: Request, ctx: RouteContext<"/api/alerts/[id]/silence">) {
  try {
    const { id } = await routeParams(ctx.params);
    return NextResponse.json(await silenceAlert(id, jsonBody(req)), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
