import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api";
import { getAlertsView } from "@/lib/data/alerts";

export const dynamic = "force-dynamic";

/**
 * Viewer: the alerts as /alerts shows them — firing first, then resolved; `?state=firing|resolved`,
 * `?rule=<rule id>`, `?page=n` — each with its id, rule, state, since and subject, and the
 * deliveries of its latest notification.
 */
export const GET = apiRoute("viewer", async (req) => {
  const view = await getAlertsView(req.nextUrl.searchParams);
  if (view.problems.length) return NextResponse.json({ error: view.problems.join("; ") }, { status: 400 });
  return NextResponse.json({ alerts: view.alerts, firing: view.firing, total: view.total, page: view.page, pages: view.pages }, { headers: { "cache-control": "no-store" } });
});
