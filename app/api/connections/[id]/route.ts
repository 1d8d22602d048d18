import { NextResponse } from "next/server";
import { errorResponse, routeParams } from "@/lib/api";
import { deleteStaleConnection } from "@/lib/data/actions";

export const dynamic = "force-dynamic";

/**
 * Admin: delete a connection that has been PENDING longer than TETHER_DELETE_PENDING_AFTER_DAYS
 * and that no pipeline uses (409 with the reason otherwise; 403 explained when the scope's IAM
 * policy denies DeleteConnection). Audited either way.
 */
export async function DELETE(_req: Request, ctx: RouteContext<"/api/connections/[id]">) {
  try {
    const { id } = await routeParams(ctx.params);
    return NextResponse.json(await deleteStaleConnection(id), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
