import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api";
import { exportAuditCsv } from "@/lib/data/audit";

export const dynamic = "force-dynamic";

/** Admin: the audit log (same filters as /audit) as CSV. */
export const GET = apiRoute("admin", async (req) => {
  const { csv, problems } = await exportAuditCsv(req.nextUrl.searchParams);
  if (problems.length) return NextResponse.json({ error: problems.join("; ") }, { status: 400 });
  return new NextResponse(csv, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="tether-audit-${new Date().toISOString().slice(0, 10)}.csv"`, "cache-control": "no-store" },
  });
});
