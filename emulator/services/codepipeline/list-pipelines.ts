import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { decodeToken, encodeToken, invalidNextToken, NEXT_TOKEN, type CodePipelineState } from "./model";
import { currentVersion, updatedAt } from "./records";
import { compare } from "./store";

/** Absent maxResults: 100 per page (the model gives no default; an assumption). */
export const DEFAULT_PIPELINES_PAGE = 100;
export const MAX_PIPELINES_PAGE = 1000;

/** The caller's pipelines in its region, sorted by name; `nextToken` only when more remain. */
export const listPipelines: JsonHandler<CodePipelineState> = (input, ctx) => {
  const r = new InputReader(input);
  const nextToken = r.string("nextToken", NEXT_TOKEN);
  const maxResults = r.integer("maxResults", { min: 1, max: MAX_PIPELINES_PAGE });
  r.done();
  let after: string | undefined;
  if (nextToken !== undefined) {
    const token = decodeToken(nextToken);
    if (token?.k !== "pipelines" || typeof token.after !== "string") throw invalidNextToken();
    after = token.after;
  }
  const all = ctx.state.pipelines.list(ctx.account, ctx.region);
  const remaining = after === undefined ? all : all.filter((p) => compare(p.name, after) > 0);
  const page = remaining.slice(0, maxResults ?? DEFAULT_PIPELINES_PAGE);
  const last = page[page.length - 1];
  return {
    pipelines: page.map((p) => ({
      name: p.name,
      version: currentVersion(p),
      pipelineType: p.pipelineType,
      executionMode: p.executionMode,
      created: p.created,
      updated: updatedAt(p),
    })),
    ...(remaining.length > page.length && last ? { nextToken: encodeToken({ k: "pipelines", after: last.name }) } : {}),
  };
};
