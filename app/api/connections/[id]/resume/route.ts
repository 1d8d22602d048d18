import { NextResponse } from "next/server";
import { errorResponse, routeParams } from "@/lib/api";
import { resumeConnection } from "@/lib/data/actions";

export const dynamic = "force-dynamic";

/** Admin: audit, then the console URL to open; Tether watches the connection until it settles. */
export async function POST(_req: Request, ctx: RouteContext<"/api/connections/[id]/resume">) {
  try {
    const { id } = await routeParams(ctx.params);
    const { consoleUrl, auditId } = await resumeConnection(id);
    return NextResponse.json({ consoleUrl, auditId }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
