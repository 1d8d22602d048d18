import { NextResponse } from "next/server";
import { errorResponse, receiverHeaders, withHeaders } from "@/lib/api";
import { receivePush } from "@/lib/data/webhooks";
import { WEBHOOK_PROVIDERS, type WebhookProvider } from "@/lib/webhooks/verify";

export const dynamic = "force-dynamic";

/**
 * Push webhooks: /api/webhooks/github, /gitlab, /bitbucket (answers: docs/webhooks.md). Not
 * behind proxy.ts, so the body reaches the receiver unbuffered; it sets its own
 * security headers.
 */
export async function POST(req: Request, ctx: RouteContext<"/api/webhooks/[provider]">) {
  const { provider } = await ctx.params;
  if (!(WEBHOOK_PROVIDERS as string[]).includes(provider)) return NextResponse.json({ error: `no receiver for ${provider}; use github, gitlab or bitbucket` }, { status: 404, headers: receiverHeaders() });
  try {
    const answer = await receivePush(provider as WebhookProvider, req);
    return NextResponse.json(answer.body, { status: answer.status, headers: receiverHeaders() });
  } catch (e) {
    return withHeaders(errorResponse(e), receiverHeaders());
  }
}
