import type { ArnPrefix } from "./types";

/**
 * Connection and host ARNs under either service prefix:
 *   arn:<partition>:codestar-connections:<region>:<account>:connection/<uuid>   (legacy)
 *   arn:<partition>:codeconnections:<region>:<account>:connection/<uuid>        (new, since 2024)
 * Tether identifies a connection by {account, region, id}, never by the ARN string, because the
 * same connection may be referenced under both prefixes.
 */
export interface ParsedArn {
  partition: string;
  service: "codestar-connections" | "codeconnections";
  prefix: ArnPrefix;
  region: string;
  account: string;
  kind: "connection" | "host";
  id: string;
}

const ARN = /^arn:(aws(?:-[a-z]+)*):(codestar-connections|codeconnections):([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):(connection|host)\/([A-Za-z0-9._-]{1,128})$/;

export function parseConnectionsArn(arn: string): ParsedArn | null {
  const m = ARN.exec(arn);
  if (!m) return null;
  const [, partition, service, region, account, kind, id] = m as unknown as [string, string, ParsedArn["service"], string, string, ParsedArn["kind"], string];
  return { partition, service, prefix: service === "codeconnections" ? "new" : "legacy", region, account, kind, id };
}

export const serviceForPrefix = (prefix: ArnPrefix): ParsedArn["service"] => (prefix === "new" ? "codeconnections" : "codestar-connections");

/** A connection id as Tether uses it in URLs: the UUID of the ARN. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
