/**
 * Who can complete a PENDING handshake, and how, per provider. Only the AWS console can do it
 * (no API does), and only someone with enough rights at the provider: the point of the queue is
 * to send the right person to the right page.
 */
export interface Guidance {
  who: string;
  howTo: string;
}

const CONNECTION: Record<string, Guidance> = {
  GitHub: {
    who: "An owner of the GitHub organization (or of the personal account)",
    howTo: "In the console: Update pending connection → install or choose the AWS Connector for GitHub app for the organization → Connect.",
  },
  Bitbucket: {
    who: "A Bitbucket workspace admin",
    howTo: "In the console: Update pending connection → sign in to Bitbucket → Grant access to the workspace → Connect.",
  },
  GitLab: {
    who: "An Owner of the GitLab group",
    howTo: "In the console: Update pending connection → sign in to GitLab → Authorize AWS Connector for GitLab → Connect.",
  },
  GitHubEnterpriseServer: {
    who: "An admin of the GitHub Enterprise Server (the host's admin)",
    howTo: "Set up the host first if it is PENDING; then Update pending connection → create and install the GitHub App on the server → Connect.",
  },
  GitLabSelfManaged: {
    who: "An admin of the GitLab self-managed instance (the host's admin)",
    howTo: "Set up the host first if it is PENDING (with a personal access token); then Update pending connection → Authorize → Connect.",
  },
  AzureDevOps: {
    who: "An Azure DevOps organization admin",
    howTo: "In the console: Update pending connection → sign in to Azure DevOps → approve the AWS Connector for the organization → Connect.",
  },
};

const HOST: Record<string, Guidance> = {
  GitHubEnterpriseServer: {
    who: "An admin of the GitHub Enterprise Server",
    howTo: "In the console: Set up host → create the GitHub App on the server → Complete setup.",
  },
  GitLabSelfManaged: {
    who: "An admin of the GitLab self-managed instance",
    howTo: "In the console: Set up host → enter a personal access token with the api scope → Complete setup.",
  },
};

const FALLBACK: Guidance = { who: "Someone with admin rights at the provider", howTo: "In the console: open the connection and follow Update pending connection." };

export const connectionGuidance = (provider: string, status: string): Guidance =>
  status === "ERROR"
    ? {
        who: (CONNECTION[provider] ?? FALLBACK).who,
        howTo: "AWS retries ERROR connections itself. Check that the provider app is still installed and authorized (it may have been removed or its access revoked); the console page shows the reason.",
      }
    : (CONNECTION[provider] ?? FALLBACK);

export const hostGuidance = (provider: string): Guidance => HOST[provider] ?? FALLBACK;
