import { NextResponse } from "next/server";
import { errorResponse, routeParams } from "@/lib/api";
import { getWatch } from "@/lib/data/watches";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, ctx: RouteContext<"/api/hosts/[id]/watch">) {
  try {
    const { id } = await routeParams(ctx.params);
    return NextResponse.json({ watch: await getWatch("host", id) }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
