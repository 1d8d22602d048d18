import { NextResponse } from "next/server";
import { errorResponse, jsonBody } from "@/lib/api";
import { runDiscoveryNow } from "@/lib/data/discovery";

export const dynamic = "force-dynamic";

/**
 * Admin: discover the organization's accounts now (TETHER_ORGANIZATION) → `{"run", "auditId"}`:
 * what was found and skipped, or a JSON error saying why the run failed. Audited, refusals too.
 */
export async function POST(req: Request) {
  try {
    return NextResponse.json(await runDiscoveryNow(jsonBody(req)), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
