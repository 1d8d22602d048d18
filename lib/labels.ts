/** Human labels for AWS enum values (unknown values are shown as AWS sent them). */
const PROVIDER_LABELS: Record<string, string> = {
  GitHub: "GitHub",
  GitHubEnterpriseServer: "GitHub Enterprise Server",
  GitLab: "GitLab",
  GitLabSelfManaged: "GitLab self-managed",
  Bitbucket: "Bitbucket",
  AzureDevOps: "Azure DevOps",
};

export const providerLabel = (p: string): string => PROVIDER_LABELS[p] ?? p;

export const prefixLabel = (p: string): string => (p === "new" ? "codeconnections" : p === "legacy" ? "codestar-connections" : p);

/** "3 min ago" style, from an ISO time and a reference time. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return "unknown";
  const abs = Math.abs(seconds);
  const suffix = seconds >= 0 ? "ago" : "from now";
  if (abs < 10) return "just now";
  if (abs < 60) return `${abs} s ${suffix}`;
  if (abs < 3600) return `${Math.round(abs / 60)} min ${suffix}`;
  if (abs < 86400 * 2) return `${Math.round(abs / 3600)} h ${suffix}`;
  return `${Math.round(abs / 86400)} d ${suffix}`;
}

/** "2026-11-25 20:41:02 UTC" */
export const utcTime = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/** A duration since `iso`, without "ago": "3 h", "2 d", "12 min". */
export function age(iso: string, now: number = Date.now()): string {
  const r = relativeTime(iso, now);
  return r === "just now" || r === "unknown" ? r : r.replace(/ ago$/, "").replace(/ from now$/, "");
}
