import { NextResponse, type NextRequest } from "next/server";
import { errorResponse } from "@/lib/api";
import { sweepNow } from "@/lib/data/actions";

export const dynamic = "force-dynamic";

/**
 * Admin: run one execution-history sweep now over the `limit` least recently swept pipelines
 * (default 100, at most 5,000) → what it read. Refused callers are audited (lib/data/actions.ts).
 */
export async function POST(req: NextRequest) {
  try {
    return NextResponse.json(await sweepNow(req.nextUrl.searchParams.get("limit") ?? "100"), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
