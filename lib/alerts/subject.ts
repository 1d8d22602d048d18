import { connectionConsoleUrl, hostConsoleUrl, hostsListConsoleUrl, pipelineConsoleUrl } from "@/lib/console-url";
import type { AlertSubject } from "@/lib/types";

/** What alerts are about: their key within a rule, their page in Tether, their page in the AWS console. */

/** `kind|account|region|id`: one firing alert per rule and key. */
export const subjectKey = (s: Pick<AlertSubject, "kind" | "account" | "region" | "id">): string => [s.kind, s.account ?? "", s.region ?? "", s.id].join("|");

/** The subject's page in Tether (a path), or null when it has none. */
export function subjectPath(s: AlertSubject): string | null {
  switch (s.kind) {
    case "connection":
      return `/connections/${encodeURIComponent(s.id)}`;
    case "host":
      return `/hosts/${encodeURIComponent(s.id)}`;
    case "account":
      return `/connections?account=${encodeURIComponent(s.id)}`;
    case "scope":
      return "/hosts";
    case "pipeline":
      return s.account && s.region ? `/pipelines/${s.account}/${s.region}/${encodeURIComponent(s.name)}` : null;
    case "fleet":
      return "/latency";
    case "provider":
      return `/latency?view=${encodeURIComponent(`provider:${s.id}`)}`;
    case "tether":
      return null;
  }
}

/** The subject's page in the AWS console (on TETHER_CONSOLE_URL's host only), or null. */
export function subjectConsoleUrl(s: AlertSubject, template: string): string | null {
  try {
    if (s.kind === "connection" && s.arn) return connectionConsoleUrl(template, s.arn);
    if (s.kind === "host" && s.arn) return hostConsoleUrl(template, s.arn);
    if (s.kind === "pipeline" && s.region) return pipelineConsoleUrl(template, s.region, s.name);
    if (s.kind === "scope" && s.region) return hostsListConsoleUrl(template, s.region);
  } catch {
    // A name or ARN the console URL builders refuse: no link rather than a wrong one.
  }
  return null;
}
