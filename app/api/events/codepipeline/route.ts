import { NextResponse } from "next/server";
import { errorResponse, receiverHeaders, withHeaders } from "@/lib/api";
import { receiveEvent } from "@/lib/data/webhooks";

export const dynamic = "force-dynamic";

/** The EventBridge API destination: pipeline execution starts (x-tether-api-key). */
export async function POST(req: Request) {
  try {
    const answer = await receiveEvent(req);
    return NextResponse.json(answer.body, { status: answer.status, headers: receiverHeaders() });
  } catch (e) {
    return withHeaders(errorResponse(e), receiverHeaders());
  }
}
