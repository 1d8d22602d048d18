import { NextResponse } from "next/server";
import { receiverHeaders } from "@/lib/api";

export const dynamic = "force-dynamic";

/** Liveness only: no account data, no AWS call, no session. Not behind proxy.ts: it sets its own security headers. */
export function GET() {
  return NextResponse.json({ status: "ok" }, { headers: receiverHeaders() });
}
