import type { ServerResponse } from "node:http";
import { sendHtml } from "../html";
import { currentDeclaration, type PipelineRecord } from "../services/codepipeline/records";
import type { EmulatorState } from "../state";
import { messagePage } from "./pages";
import { pipelinesListPath } from "./paths";
import {
  accountChooserPage,
  executionTimelinePage,
  pipelineCrumbs,
  pipelinesListPage,
  pipelineViewPage,
  type SourceView,
} from "./pipeline-pages";

/**
 * `/console/{region}/codesuite/codepipeline/…` (GET only):
 * - `pipelines?region=<r>`: every account's pipelines in Region r (default: the path's);
 * - `pipelines/{name}/view?region=<r>[&account=<a>]`: one pipeline. The account is the one that
 *   has a pipeline of that name in r; when several do, `account` picks one, and without it the
 *   page is an account chooser;
 * - `pipelines/{name}/executions/{id}/timeline?region=<r>`: one execution (the id names the
 *   account).
 * Anything else, or an unknown pipeline, execution or account → 404 page.
 */
export function handlePipelineConsole(
  state: EmulatorState,
  res: ServerResponse,
  url: URL,
  consoleRegion: string,
  rest: string[],
): void {
  const region = url.searchParams.get("region") || consoleRegion;
  const notFound = (what: string) =>
    sendHtml(
      res,
      404,
      messagePage({
        region: consoleRegion,
        title: "Page not found",
        message: what,
        links: [["Pipelines in this Region", pipelinesListPath(region, consoleRegion)]],
        crumbs: pipelineCrumbs(consoleRegion, [["Page not found"]]),
      }),
    );
  const [collection, name, action, id, tail] = rest;
  if (collection !== "pipelines") return notFound(`There is no console page at ${url.pathname} in this emulator.`);
  const now = state.now();

  if (rest.length === 1) {
    const pipelines = [...state.pipelines.all()]
      .filter((p) => p.region === region)
      .sort((a, b) => (a.name === b.name ? a.account.localeCompare(b.account) : a.name < b.name ? -1 : 1));
    const counts = new Map<string, number>();
    for (const p of pipelines) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
    const ambiguousNames = new Set([...counts].filter(([, n]) => n > 1).map(([n]) => n));
    sendHtml(res, 200, pipelinesListPage({ consoleRegion, region, pipelines, now, ambiguousNames }));
    return;
  }
  if (!name) return notFound(`There is no console page at ${url.pathname} in this emulator.`);
  const candidates = state.pipelines.named(region, name).sort((a, b) => a.account.localeCompare(b.account));
  if (candidates.length === 0) return notFound(`No account has a pipeline named ${name} in ${region}.`);

  if (rest.length === 3 && action === "view") {
    const account = url.searchParams.get("account");
    const pipeline = account ? candidates.find((p) => p.account === account) : candidates.length === 1 ? candidates[0] : undefined;
    if (account && !pipeline) return notFound(`Account ${account} has no pipeline named ${name} in ${region}.`);
    if (!pipeline) {
      sendHtml(res, 200, accountChooserPage({ region, name, pipelines: candidates }));
      return;
    }
    sendHtml(
      res,
      200,
      pipelineViewPage({
        pipeline,
        now,
        executions: state.pipelines.executionsOf(pipeline, now),
        sources: sourcesOf(state, pipeline),
        accounts: candidates.map((p) => p.account),
      }),
    );
    return;
  }
  if (rest.length === 5 && action === "executions" && id && tail === "timeline") {
    for (const pipeline of candidates) {
      const execution = state.pipelines.findExecution(pipeline, id, now);
      if (execution) {
        sendHtml(res, 200, executionTimelinePage({ pipeline, execution, now, ambiguous: candidates.length > 1 }));
        return;
      }
    }
    return notFound(`Pipeline ${name} in ${region} has no execution ${id}.`);
  }
  return notFound(`There is no console page at ${url.pathname} in this emulator.`);
}

function sourcesOf(state: EmulatorState, p: PipelineRecord): SourceView[] {
  return currentDeclaration(p).stages.flatMap((stage) =>
    stage.actions
      .filter((a) => a.actionTypeId.provider === "CodeStarSourceConnection")
      .map((a): SourceView => {
        const c = a.configuration ?? {};
        const arn = c.ConnectionArn ?? "";
        const connection = state.codeConnections.connectionByArn(arn);
        return {
          stageName: stage.name,
          actionName: a.name,
          connectionArn: arn,
          repository: c.FullRepositoryId ?? "",
          branch: c.BranchName ?? "",
          detectChanges: c.DetectChanges ?? "true",
          outputArtifactFormat: c.OutputArtifactFormat ?? "CODE_ZIP",
          ...(connection ? { connection } : {}),
        };
      }),
  );
}
