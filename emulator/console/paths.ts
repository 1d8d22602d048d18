import type { ArnPrefix } from "../arns";

/**
 * Console page paths, the same as the real console's under `https://{region}.console.aws.amazon.com`
 * (the documented list page and the observed per-connection pages; BEHAVIOR.md §7), with
 * `/console/{region}` standing in for that host.
 */

export const CONSOLE_PREFIX = "/console";

export function settingsBase(consoleRegion: string): string {
  return `${CONSOLE_PREFIX}/${encodeURIComponent(consoleRegion)}/codesuite/settings`;
}

/** `/console/{region}/codesuite/settings/{account}/{region}/{svc}/connections/{uuid}` */
export function connectionPath(c: { account: string; region: string; uuid: string }, svc: ArnPrefix): string {
  return `${settingsBase(c.region)}/${enc(c.account)}/${enc(c.region)}/${svc}/connections/${enc(c.uuid)}`;
}

/** `/console/{region}/codesuite/settings/{account}/{region}/{svc}/hosts/{id}` (id = last ARN segment) */
export function hostPath(h: { account: string; region: string; id: string }, svc: ArnPrefix): string {
  return `${settingsBase(h.region)}/${enc(h.account)}/${enc(h.region)}/${svc}/hosts/${enc(h.id)}`;
}

/** `/console/{region}/codesuite/settings/connections?region={region}` (the documented list link) */
export function connectionsListPath(region: string, consoleRegion = region): string {
  return `${settingsBase(consoleRegion)}/connections?region=${enc(region)}`;
}

/** `/console/{region}/codesuite/settings/hosts?region={region}` */
export function hostsListPath(region: string, consoleRegion = region): string {
  return `${settingsBase(consoleRegion)}/hosts?region=${enc(region)}`;
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

/** `/console/{region}/codesuite/codepipeline/pipelines?region={region}` */
export function pipelinesListPath(region: string, consoleRegion = region): string {
  return `${CONSOLE_PREFIX}/${enc(consoleRegion)}/codesuite/codepipeline/pipelines?region=${enc(region)}`;
}

/**
 * `/console/{region}/codesuite/codepipeline/pipelines/{name}/view?region={region}`; `account`
 * (an emulator extension, not in the real console's URL) picks one of several accounts that have
 * a pipeline of that name in the region.
 */
export function pipelineViewPath(p: { region: string; name: string }, account?: string): string {
  const base = `${CONSOLE_PREFIX}/${enc(p.region)}/codesuite/codepipeline/pipelines/${enc(p.name)}/view?region=${enc(p.region)}`;
  return account ? `${base}&account=${enc(account)}` : base;
}

/** `/console/{region}/codesuite/codepipeline/pipelines/{name}/executions/{executionId}/timeline?region={region}` */
export function executionTimelinePath(p: { region: string; name: string }, executionId: string): string {
  return `${CONSOLE_PREFIX}/${enc(p.region)}/codesuite/codepipeline/pipelines/${enc(p.name)}/executions/${enc(executionId)}/timeline?region=${enc(p.region)}`;
}
