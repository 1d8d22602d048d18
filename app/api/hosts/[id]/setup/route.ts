import { NextResponse } from "next/server";
import { errorResponse, routeParams } from "@/lib/api";
import { setupHost } from "@/lib/data/actions";

export const dynamic = "force-dynamic";

/** Admin: audit, then the console URL of the host's set-up; Tether watches the host until it settles. */
export async function POST(_req: Request, ctx: RouteContext<"/api/hosts/[id]/setup">) {
  try {
    const { id } = await routeParams(ctx.params);
    const { consoleUrl, auditId } = await setupHost(id);
    return NextResponse.json({ consoleUrl, auditId }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
