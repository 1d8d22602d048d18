import { NextResponse } from "next/server";
import { errorResponse, routeParams } from "@/lib/api";
import { releasePipeline } from "@/lib/data/actions";

export const dynamic = "force-dynamic";

/** Admin: StartPipelineExecution ("Release change"), audited → {"executionId", "auditId"}. */
export async function POST(_req: Request, ctx: RouteContext<"/api/pipelines/[account]/[region]/[name]/release">) {
  try {
    const { account, region, name } = await routeParams(ctx.params);
    return NextResponse.json(await releasePipeline(account, region, name), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
