import { NextResponse, type NextRequest } from "next/server";
import { errorResponse } from "@/lib/api";
import { endSessionsOf } from "@/lib/data/sessions";

export const dynamic = "force-dynamic";

/**
 * Admin, signed in (not a token): `DELETE /api/sessions?user=<email>` ends every session of
 * that user at once, audited → {"ended", "auditId"}. Their cookies stop working on the next
 * request; they can sign in again (unless they are no longer allowed to).
 */
export async function DELETE(req: NextRequest) {
  try {
    return NextResponse.json(await endSessionsOf(req.nextUrl.searchParams.get("user") ?? ""), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
