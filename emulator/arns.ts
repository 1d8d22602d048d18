/** ARN building and parsing: the connections services' resources (either prefix) and pipelines. */

export const ARN_PREFIXES = ["codestar-connections", "codeconnections"] as const;
export type ArnPrefix = (typeof ARN_PREFIXES)[number];

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resourceType: string;
  resourceId: string;
}

const ARN_RE = /^arn:(aws(?:-[\w]+)*):([^:]+):([^:]*):(\d{12}|):(.+)$/;

/** Splits an ARN; `resourceType`/`resourceId` come from a `type/id` resource part. */
export function parseArn(arn: string): ParsedArn | undefined {
  const m = ARN_RE.exec(arn);
  if (!m) return undefined;
  const [, partition = "", service = "", region = "", account = "", resource = ""] = m;
  const slash = resource.indexOf("/");
  return {
    partition,
    service,
    region,
    account,
    resourceType: slash < 0 ? resource : resource.slice(0, slash),
    resourceId: slash < 0 ? "" : resource.slice(slash + 1),
  };
}

export function isArnPrefix(value: string): value is ArnPrefix {
  return (ARN_PREFIXES as readonly string[]).includes(value);
}

export function connectionArn(c: { prefix: ArnPrefix; region: string; account: string; uuid: string }): string {
  return `arn:aws:${c.prefix}:${c.region}:${c.account}:connection/${c.uuid}`;
}

export function hostArn(h: { prefix: ArnPrefix; region: string; account: string; id: string }): string {
  return `arn:aws:${h.prefix}:${h.region}:${h.account}:host/${h.id}`;
}

/** A connections-service resource named by an ARN of either prefix. */
export interface ResourceRef {
  kind: "connection" | "host";
  account: string;
  region: string;
  id: string;
}

export function parseResourceArn(arn: string): ResourceRef | undefined {
  const p = parseArn(arn);
  if (!p || p.partition !== "aws" || !isArnPrefix(p.service) || !p.resourceId) return undefined;
  if (p.resourceType !== "connection" && p.resourceType !== "host") return undefined;
  return { kind: p.resourceType, account: p.account, region: p.region, id: p.resourceId };
}

export function pipelineArn(p: { account: string; region: string; name: string }): string {
  return `arn:aws:codepipeline:${p.region}:${p.account}:${p.name}`;
}
