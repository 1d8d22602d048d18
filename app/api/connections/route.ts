import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api";
import { EXPORT_FIELDS, toExportRecord } from "@/lib/connections-query";
import { exportConnections } from "@/lib/data/inventory";
import { csvLines, jsonWithArray, textStream } from "@/lib/query";
import type { ConnectionRow } from "@/lib/types";

export const dynamic = "force-dynamic";

function* records(rows: readonly ConnectionRow[]) {
  for (const r of rows) yield toExportRecord(r);
}

/**
 * Export of the filtered inventory (README, the `/connections` row): the same query as /connections, every
 * matching row (no paging), JSON (default) or CSV. The body is streamed: rows are serialised as the
 * client reads them (64 KiB at a time), so 10,000 rows never sit in memory as one text. Every check
 * (the caller, the query) is done before the first byte: a stream that started never fails.
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
    return new NextResponse(textStream(csvLines(EXPORT_FIELDS, records(data.rows))), {
      headers: { ...headers, "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="tether-connections-${stamp}.csv"` },
    });
  }
  return new NextResponse(textStream(jsonWithArray({ generatedAt: data.generatedAt }, "connections", records(data.rows), { scopeErrors: data.scopeErrors })), {
    headers: { ...headers, "content-type": "application/json" },
  });
});
