import "server-only";
import { GetPipelineCommand, GetPipelineExecutionCommand, StartPipelineExecutionCommand, paginateListPipelineExecutions, paginateListPipelines, type CodePipelineClient, type GitPushFilter, type PipelineDeclaration, type PipelineExecutionSummary } from "@aws-sdk/client-codepipeline";
import type { Execution, FilterCriteria, PipelineDefinition, PipelineListing, PushFilter, Scope, SourceAction, Trigger } from "@/lib/types";
import { toAppError } from "./errors";

/** CodePipeline verbs: list (all pages), get (reshaped to Tether's definition), executions, start. */

const where = (scope: Scope) => `${scope.account}/${scope.region}`;
const iso = (d: Date | undefined) => (d ? d.toISOString() : null);

export async function listPipelines(client: CodePipelineClient, scope: Scope): Promise<PipelineListing[]> {
  const out: PipelineListing[] = [];
  try {
    for await (const page of paginateListPipelines({ client, pageSize: 1000 }, {})) {
      for (const p of page.pipelines ?? []) {
        if (!p.name) continue;
        out.push({ name: p.name, version: p.version ?? 0, pipelineType: p.pipelineType ?? "V1", created: iso(p.created), updated: iso(p.updated) });
      }
    }
  } catch (e) {
    throw toAppError(e, `listing pipelines in ${where(scope)}`);
  }
  return out;
}

const criteria = (c: { includes?: string[]; excludes?: string[] } | undefined): FilterCriteria | undefined =>
  c ? { ...(c.includes?.length ? { includes: c.includes } : {}), ...(c.excludes?.length ? { excludes: c.excludes } : {}) } : undefined;

function toPushFilter(f: GitPushFilter): PushFilter {
  const out: PushFilter = {};
  const b = criteria(f.branches);
  const p = criteria(f.filePaths);
  const t = criteria(f.tags);
  if (b) out.branches = b;
  if (p) out.filePaths = p;
  if (t) out.tags = t;
  return out;
}

export function toDefinition(decl: PipelineDeclaration, scope: Scope): PipelineDefinition {
  const sourceActions: SourceAction[] = [];
  for (const stage of decl.stages ?? []) {
    for (const a of stage.actions ?? []) {
      if (a.actionTypeId?.provider !== "CodeStarSourceConnection") continue;
      const c = a.configuration ?? {};
      sourceActions.push({
        stage: stage.name ?? "",
        name: a.name ?? "",
        connectionArn: c.ConnectionArn ?? "",
        repository: c.FullRepositoryId ?? "",
        branch: c.BranchName ?? "",
        detectChanges: (c.DetectChanges ?? "true").toLowerCase() !== "false",
        outputArtifactFormat: c.OutputArtifactFormat ?? null,
      });
    }
  }
  const triggers: Trigger[] = (decl.triggers ?? [])
    .filter((t) => t.gitConfiguration?.sourceActionName)
    .map((t) => ({
      sourceActionName: t.gitConfiguration?.sourceActionName ?? "",
      push: (t.gitConfiguration?.push ?? []).map(toPushFilter),
      pullRequest: (t.gitConfiguration?.pullRequest ?? []).map((f) => {
        const b = criteria(f.branches);
        const p = criteria(f.filePaths);
        return { ...(f.events ? { events: f.events } : {}), ...(b ? { branches: b } : {}), ...(p ? { filePaths: p } : {}) };
      }),
    }));
  return { account: scope.account, region: scope.region, name: decl.name ?? "", pipelineType: decl.pipelineType ?? "V1", version: decl.version ?? 0, sourceActions, triggers };
}

/** The pipeline's declaration, or null when it no longer exists. */
export async function getPipeline(client: CodePipelineClient, scope: Scope, name: string): Promise<PipelineDefinition | null> {
  try {
    const out = await client.send(new GetPipelineCommand({ name }));
    return out.pipeline ? toDefinition(out.pipeline, scope) : null;
  } catch (e) {
    const err = toAppError(e, `reading pipeline ${name} in ${where(scope)}`);
    if (err.kind === "not_found") return null;
    throw err;
  }
}

export function toExecution(s: PipelineExecutionSummary): Execution {
  const rev = s.sourceRevisions?.[0];
  return {
    executionId: s.pipelineExecutionId ?? "",
    status: s.status ?? "Unknown",
    startTime: iso(s.startTime),
    lastUpdateTime: iso(s.lastUpdateTime),
    triggerType: s.trigger?.triggerType ?? null,
    triggerDetail: s.trigger?.triggerDetail ?? null,
    revisionId: rev?.revisionId ?? null,
    revisionSummary: rev?.revisionSummary ?? null,
  };
}

/**
 * Executions newest first, page by page (100 a page), stopping at the first one that started
 * before `since` or is already known (`stopAt` returns true): a sweep reads only what is new.
 */
export async function listExecutionsSince(client: CodePipelineClient, scope: Scope, pipeline: string, stopAt: (e: Execution) => boolean): Promise<{ executions: Execution[]; pages: number }> {
  const out: Execution[] = [];
  let pages = 0;
  try {
    for await (const page of paginateListPipelineExecutions({ client, pageSize: 100 }, { pipelineName: pipeline })) {
      pages++;
      for (const s of page.pipelineExecutionSummaries ?? []) {
        const e = toExecution(s);
        if (stopAt(e)) return { executions: out, pages };
        out.push(e);
      }
    }
  } catch (e) {
    throw toAppError(e, `listing executions of ${pipeline} in ${where(scope)}`);
  }
  return { executions: out, pages };
}

export async function startPipelineExecution(client: CodePipelineClient, scope: Scope, name: string, clientRequestToken: string): Promise<string> {
  try {
    const out = await client.send(new StartPipelineExecutionCommand({ name, clientRequestToken }));
    if (!out.pipelineExecutionId) throw new Error("no execution id");
    return out.pipelineExecutionId;
  } catch (e) {
    throw toAppError(e, `starting ${name} in ${where(scope)}`);
  }
}

/** The commit of an execution (its first artifact revision), or null when it has none or is gone. */
export async function getExecutionRevision(client: CodePipelineClient, scope: Scope, pipeline: string, executionId: string): Promise<string | null> {
  try {
    const out = await client.send(new GetPipelineExecutionCommand({ pipelineName: pipeline, pipelineExecutionId: executionId }));
    return out.pipelineExecution?.artifactRevisions?.[0]?.revisionId ?? null;
  } catch (e) {
    const err = toAppError(e, `reading execution ${executionId} of ${pipeline} in ${where(scope)}`);
    if (err.kind === "not_found") return null;
    throw err;
  }
}
