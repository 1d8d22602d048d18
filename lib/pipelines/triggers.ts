import { globMatch } from "./glob";
import type { ConnectionState, Diagnosis, FilterCriteria, PipelineDefinition, PushFilter, SimulatedPush, SimulationResult, SourceAction, Trigger } from "@/lib/types";

/**
 * How a push reaches a pipeline (CodePipeline user guide,
 * "Automate starting pipelines using triggers and filtering" and "pipelines-filter"):
 * - A source action with provider CodeStarSourceConnection names a connection, a repository
 *   (FullRepositoryId) and a branch (BranchName).
 * - Without a trigger for that action, a push to BranchName starts the pipeline unless
 *   DetectChanges is "false".
 * - With a V2 trigger for that action, default change detection is off (DetectChanges is ignored)
 *   and only the trigger's filters start it: each push filter is one of tags, branches, or
 *   branches + file paths; a push starts the pipeline when any push filter matches; in a filter,
 *   excludes win over includes, and an absent include list includes everything.
 * - Nothing starts while the connection is not AVAILABLE.
 */

// ---------------------------------------------------------------------------------------------
// The decision table: "why didn't my push start it?" for one source action, rows in order.

export const DECISION_TABLE: { rule: Diagnosis["rule"]; when: string }[] = [
  { rule: "connection-unknown", when: "Tether cannot see the connection's account and region (not configured, or its listing failed)" },
  { rule: "connection-missing", when: "the connection the action names does not exist in its account and region" },
  { rule: "connection-not-available", when: "the connection is PENDING or ERROR" },
  { rule: "no-push-trigger", when: "a V2 trigger for the action has no push filter (pull requests only)" },
  { rule: "trigger-excludes-branch", when: "a V2 trigger for the action has push filters, and none includes the action's branch" },
  { rule: "trigger-filters", when: "a V2 trigger includes the branch but also filters on file paths (only some pushes start it)" },
  { rule: "detect-changes-off", when: "no trigger for the action, and DetectChanges is false" },
  { rule: "starts-on-push", when: "otherwise: a push to the branch starts the pipeline" },
];

function criteriaMatch(c: FilterCriteria | undefined, value: string): boolean {
  if (!c) return true;
  if ((c.excludes ?? []).some((g) => safeMatch(g, value))) return false;
  return !c.includes || c.includes.length === 0 || c.includes.some((g) => safeMatch(g, value));
}

function safeMatch(glob: string, value: string): boolean {
  try {
    return globMatch(glob, value);
  } catch {
    return false; // an invalid pattern matches nothing (AWS would have refused it)
  }
}

const describeCriteria = (c: FilterCriteria | undefined) =>
  [c?.includes?.length ? `includes ${c.includes.join(", ")}` : null, c?.excludes?.length ? `excludes ${c.excludes.join(", ")}` : null].filter(Boolean).join("; ") || "any";

export const triggerFor = (p: Pick<PipelineDefinition, "triggers">, action: SourceAction): Trigger | undefined => p.triggers.find((t) => t.sourceActionName === action.name);

export function diagnose(p: Pick<PipelineDefinition, "triggers">, action: SourceAction, connection: ConnectionState): Diagnosis {
  if (connection.exists === "unknown") {
    return {
      rule: "connection-unknown",
      verdict: "warning",
      explanation: `Tether cannot check the connection of ${action.name}: ${connection.reason}.`,
      fix: "Add the connection's account and region to TETHER_SCOPES, or fix that scope's access.",
    };
  }
  if (!connection.exists) {
    return {
      rule: "connection-missing",
      verdict: "broken",
      explanation: `The source action ${action.name} uses a connection that does not exist (deleted, or never in this account and region). No push can start this pipeline.`,
      fix: "Point the source action at an existing, AVAILABLE connection (update the pipeline), or re-create the connection and complete its handshake.",
    };
  }
  if (connection.status !== "AVAILABLE") {
    return {
      rule: "connection-not-available",
      verdict: "broken",
      explanation: `The connection ${connection.name} is ${connection.status}: ${connection.status === "PENDING" ? "its handshake was never completed in the console" : "AWS cannot use it right now"}. No push starts the pipeline until it is AVAILABLE.`,
      fix: connection.status === "PENDING" ? "Resume the connection (Pending handshakes) and complete it in the console." : "Check the provider app's installation and authorization; AWS retries ERROR connections on its own.",
    };
  }
  const trigger = triggerFor(p, action);
  if (trigger) {
    if (trigger.push.length === 0) {
      return {
        rule: "no-push-trigger",
        verdict: "warning",
        explanation: `A V2 trigger for ${action.name} has only pull-request filters, so pushes (including to ${action.branch}) start nothing; DetectChanges is ignored when a trigger exists.`,
        fix: `Add a push filter that includes ${action.branch} to the trigger, if pushes should start the pipeline.`,
      };
    }
    const branchFilters = trigger.push.filter((f) => !f.tags);
    const includesBranch = branchFilters.filter((f) => criteriaMatch(f.branches, action.branch));
    if (includesBranch.length === 0) {
      return {
        rule: "trigger-excludes-branch",
        verdict: "broken",
        explanation: `The V2 trigger's push filters (${trigger.push.map((f) => (f.tags ? `tags ${describeCriteria(f.tags)}` : `branches ${describeCriteria(f.branches)}`)).join(" | ")}) do not include ${action.branch}, the action's branch; a trigger turns off default change detection, so pushes to ${action.branch} start nothing.`,
        fix: `Include ${action.branch} in a push filter's branches (or remove it from the excludes).`,
      };
    }
    if (includesBranch.every((f) => f.filePaths)) {
      return {
        rule: "trigger-filters",
        verdict: "ok",
        explanation: `A push to ${action.branch} starts the pipeline only when it changes files matching ${includesBranch.map((f) => describeCriteria(f.filePaths)).join(" or ")}.`,
        fix: null,
      };
    }
    return { rule: "starts-on-push", verdict: "ok", explanation: `The V2 trigger includes ${action.branch}: a push to it starts the pipeline.`, fix: null };
  }
  if (!action.detectChanges) {
    return {
      rule: "detect-changes-off",
      verdict: "warning",
      explanation: `DetectChanges is false on ${action.name}: pushes to ${action.branch} start nothing; only "Release change" (StartPipelineExecution) does.`,
      fix: "Set DetectChanges to true in the source action (CDK: triggerOnPush: true), or add a V2 push trigger.",
    };
  }
  return { rule: "starts-on-push", verdict: "ok", explanation: `A push to ${action.branch} starts the pipeline.`, fix: null };
}

// ---------------------------------------------------------------------------------------------
// The trigger simulator: which pipelines a given push starts, and why each other one does not.

function filterOutcome(f: PushFilter, push: SimulatedPush): SimulationResult {
  if (f.tags) {
    const hit = (push.tags ?? []).find((t) => criteriaMatch(f.tags, t));
    return hit ? { outcome: "starts", reason: `tag ${hit} matches tags ${describeCriteria(f.tags)}` } : { outcome: "no", reason: `no pushed tag matches tags ${describeCriteria(f.tags)}` };
  }
  if (!push.branch) return { outcome: "no", reason: "a tag push does not match a branch filter" };
  if (!criteriaMatch(f.branches, push.branch)) return { outcome: "no", reason: `branch ${push.branch} is not in branches ${describeCriteria(f.branches)}` };
  if (!f.filePaths) return { outcome: "starts", reason: `branch ${push.branch} matches branches ${describeCriteria(f.branches)}` };
  if (push.paths === null || push.paths === undefined) return { outcome: "unknown", reason: `the filter needs the changed files (file paths ${describeCriteria(f.filePaths)}) and the push does not list them` };
  const file = push.paths.find((p) => criteriaMatch(f.filePaths, p));
  return file
    ? { outcome: "starts", reason: `branch ${push.branch} matches and ${file} matches file paths ${describeCriteria(f.filePaths)}` }
    : { outcome: "no", reason: `no changed file matches file paths ${describeCriteria(f.filePaths)}` };
}

/** Repository names compare case-insensitively (providers do), ignoring stray whitespace. */
export const sameRepo = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether `push` starts the pipeline through `action`. */
export function simulate(p: Pick<PipelineDefinition, "triggers">, action: SourceAction, connection: ConnectionState, push: SimulatedPush): SimulationResult {
  if (!sameRepo(action.repository, push.repository)) return { outcome: "no", reason: `the source action watches ${action.repository}` };
  if (connection.exists === "unknown") return { outcome: "unknown", reason: `its connection cannot be checked (${connection.reason})` };
  if (!connection.exists) return { outcome: "no", reason: "its connection does not exist" };
  if (connection.status !== "AVAILABLE") return { outcome: "no", reason: `its connection ${connection.name} is ${connection.status}` };
  const trigger = triggerFor(p, action);
  if (trigger) {
    if (trigger.push.length === 0) return { outcome: "no", reason: "its trigger has pull-request filters only" };
    const results = trigger.push.map((f) => filterOutcome(f, push));
    return results.find((r) => r.outcome === "starts") ?? results.find((r) => r.outcome === "unknown") ?? { outcome: "no", reason: results.map((r) => r.reason).join("; ") };
  }
  if (!push.branch) return { outcome: "no", reason: "without a trigger, tag pushes start nothing" };
  if (push.branch !== action.branch) return { outcome: "no", reason: `it follows branch ${action.branch}, not ${push.branch}` };
  if (!action.detectChanges) return { outcome: "no", reason: "DetectChanges is false" };
  return { outcome: "starts", reason: `a push to ${action.branch} with DetectChanges on` };
}
