import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

/** Liveness only: no account data, no AWS call, no session. */
export function GET() {
  return NextResponse.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
