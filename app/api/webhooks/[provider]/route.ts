import { NextResponse } from "next/server";
import { receiverHeaders } from "@/lib/api";

export const dynamic = "force-dynamic";

/**
 * Any other name under /api/webhooks/: no receiver. The three receivers are static routes beside
 * this one (github/, gitlab/, bitbucket/), which Next matches first.
 */
export async function POST(_req: Request, ctx: RouteContext<"/api/webhooks/[provider]">) {
  const { provider } = await ctx.params;
  return NextResponse.json({ error: `no receiver for ${provider}; use github, gitlab or bitbucket` }, { status: 404, headers: receiverHeaders() });
}
