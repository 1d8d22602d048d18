import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api";
import { EXPORT_FIELDS, toExportRecord } from "@/lib/connections-query";
import { exportConnections } from "@/lib/data/inventory";
import { toCsv } from "@/lib/query";

export const dynamic = "force-dynamic";

/**
 * Export of the filtered inventory (README, the `/connections` row): the same query as /connections, every
 * matching row (no paging), JSON (default) or CSV.
 */
export const GET = apiRoute("viewer", async (req) => {
  const params = req.nextUrl.searchParams;
  const format = params.get("format") ?? "json";
  if (format !== "json" && format !== "csv") {
    return NextResponse.json({ error: `format: "${format}" is not json or csv` }, { status: 400 });
  }
  const data = await exportConnections(params, { refresh: params.get("refresh") === "1" });
  if (data.problems.length) return NextResponse.json({ error: data.problems.join("; ") }, { status: 400 });
  const stamp = data.generatedAt.replace(/[:.]/g, "-");
  const headers = { "cache-control": "no-store", "x-tether-scope-errors": String(data.scopeErrors.length) };
  if (format === "csv") {
    return new NextResponse(toCsv(EXPORT_FIELDS, data.rows.map(toExportRecord)), {
      headers: { ...headers, "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="tether-connections-${stamp}.csv"` },
    });
  }
  return NextResponse.json({ generatedAt: data.generatedAt, connections: data.rows.map(toExportRecord), scopeErrors: data.scopeErrors }, { headers });
});
