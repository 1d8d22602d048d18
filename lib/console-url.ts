import { parseConnectionsArn } from "./arn";

/**
 * Links into the AWS console, at the paths the console itself uses. The per-connection page carries the
 * "Update pending connection" button; its service segment follows the ARN's prefix. Links are
 * only ever built on the host of the configured template (TETHER_CONSOLE_URL) and only from an
 * ARN that parses, so a crafted ARN cannot turn a link into an open redirect.
 */

export class ConsoleUrlError extends Error {
  override name = "ConsoleUrlError";
}

function base(template: string, region: string): URL {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new ConsoleUrlError(`not a region: ${region}`);
  const url = new URL(template.replaceAll("{region}", region));
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ConsoleUrlError("console URL must be http(s)");
  return url;
}

function join(root: URL, path: string): string {
  const prefix = root.pathname.replace(/\/+$/, "");
  return `${root.origin}${prefix}${path}`;
}

/** The console page of one connection, e.g. …/codesuite/settings/111111111111/us-east-1/codeconnections/connections/<uuid>. */
export function connectionConsoleUrl(template: string, connectionArn: string): string {
  const arn = parseConnectionsArn(connectionArn);
  if (!arn || arn.kind !== "connection") throw new ConsoleUrlError("not a connection ARN");
  const root = base(template, arn.region);
  return join(root, `/codesuite/settings/${arn.account}/${arn.region}/${arn.service}/connections/${encodeURIComponent(arn.id)}`);
}

/** The documented list page, the fallback when the per-connection page moves. */
export function connectionsListConsoleUrl(template: string, region: string): string {
  return `${join(base(template, region), "/codesuite/settings/connections")}?region=${encodeURIComponent(region)}`;
}

/** The console page of one host (same settings area; the service segment follows the ARN prefix). */
export function hostConsoleUrl(template: string, hostArn: string): string {
  const arn = parseConnectionsArn(hostArn);
  if (!arn || arn.kind !== "host") throw new ConsoleUrlError("not a host ARN");
  const root = base(template, arn.region);
  return join(root, `/codesuite/settings/${arn.account}/${arn.region}/${arn.service}/hosts/${encodeURIComponent(arn.id)}`);
}

/** The documented hosts list page. */
export function hostsListConsoleUrl(template: string, region: string): string {
  return `${join(base(template, region), "/codesuite/settings/hosts")}?region=${encodeURIComponent(region)}`;
}

const PIPELINE_NAME = /^[A-Za-z0-9.@_-]{1,100}$/;

/** A pipeline's console page. */
export function pipelineConsoleUrl(template: string, region: string, name: string): string {
  if (!PIPELINE_NAME.test(name)) throw new ConsoleUrlError("not a pipeline name");
  return `${join(base(template, region), `/codesuite/codepipeline/pipelines/${encodeURIComponent(name)}/view`)}?region=${encodeURIComponent(region)}`;
}

/** One execution's timeline in the console. */
export function executionConsoleUrl(template: string, region: string, name: string, executionId: string): string {
  if (!PIPELINE_NAME.test(name)) throw new ConsoleUrlError("not a pipeline name");
  if (!/^[A-Za-z0-9-]{1,128}$/.test(executionId)) throw new ConsoleUrlError("not an execution id");
  return `${join(base(template, region), `/codesuite/codepipeline/pipelines/${encodeURIComponent(name)}/executions/${executionId}/timeline`)}?region=${encodeURIComponent(region)}`;
}
