import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { sweepExecutions } from "@/lib/pipelines/map";
import { getStore } from "@/lib/store";

export const dynamic = "force-dynamic";

/**
 * Admin: run one execution-history sweep now (the background poll runs one per interval) over
 * the `limit` least recently swept pipelines (default 100, at most 5,000) → what it read.
 */
export const POST = apiRoute("admin", async (req, _ctx, principal) => {
  const text = req.nextUrl.searchParams.get("limit") ?? "100";
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > 5000) throw new AppError("bad_request", `limit: "${text}" is not a number from 1 to 5000`);
  const result = await sweepExecutions(limit);
  getStore().audit.append({ actor: principal.id, actorRole: principal.role, via: principal.via, action: "pipelines.sweep", targetKind: "pipelines", target: `limit ${limit}`, outcome: "allowed", detail: `${result.pipelines} pipelines, ${result.listCalls} ListPipelineExecutions calls, ${result.saved} saved` });
  return NextResponse.json(result);
}, { action: "pipelines.sweep", targetKind: "pipelines" });
