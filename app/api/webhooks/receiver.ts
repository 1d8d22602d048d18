import { NextResponse } from "next/server";
import { errorResponse, receiverHeaders, withHeaders } from "@/lib/api";
import { receivePush } from "@/lib/data/webhooks";
import type { WebhookProvider } from "@/lib/webhooks/verify";

/**
 * The push receivers' handler, one static route per provider (github/, gitlab/, bitbucket/):
 * POST /api/webhooks/github, /gitlab, /bitbucket (answers: docs/webhooks.md). Static routes, not
 * one [provider] route: Next matches them without the dynamic segment's params (measured in
 * docs/benchmarks.md); [provider]/route.ts answers every other name. Not behind proxy.ts, so the
 * body reaches the receiver unbuffered; it sets its own security headers.
 */
export function receiver(provider: WebhookProvider): (req: Request) => Promise<Response> {
  return async (req) => {
    try {
      const answer = await receivePush(provider, req);
      return NextResponse.json(answer.body, { status: answer.status, headers: receiverHeaders() });
    } catch (e) {
      return withHeaders(errorResponse(e), receiverHeaders());
    }
  };
}
