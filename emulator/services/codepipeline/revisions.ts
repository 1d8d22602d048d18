import type { SourceActionInfo } from "./declaration";
import type { CommitRecord, ExecutionRevision } from "./records";

/**
 * Source revisions as CodePipeline reports them: the console's connection redirector it puts in
 * `revisionUrl` / `entityUrl`, and the JSON string of `revisionSummary`.
 */

/** The console redirector AWS puts in `revisionUrl` / `entityUrl` of connection source actions. */
export function connectionRedirectUrl(
  region: string,
  connectionArn: string,
  repository: string,
  ref: { commit: string } | { branch: string },
): string {
  const q = new URLSearchParams({ connectionArn });
  if ("commit" in ref) {
    q.set("referenceType", "COMMIT");
    q.set("FullRepositoryId", repository);
    q.set("Commit", ref.commit);
  } else {
    q.set("referenceType", "BRANCH");
    q.set("FullRepositoryId", repository);
    q.set("Branch", ref.branch);
  }
  return `https://${region}.console.aws.amazon.com/codesuite/settings/connections/redirect?${q.toString()}`;
}

/** `revisionSummary` / the source action's `summary`: a JSON string. */
export function revisionSummary(r: { providerType: string; message: string }): string {
  return JSON.stringify({ ProviderType: r.providerType, CommitMessage: r.message });
}

/** The execution's source revision for a commit, as CodePipeline reports it. */
export function revisionFor(region: string, source: SourceActionInfo, commit: CommitRecord, providerType: string): ExecutionRevision {
  return {
    actionName: source.actionName,
    artifactName: source.outputArtifact,
    sha: commit.sha,
    message: commit.message,
    providerType,
    created: commit.time,
    revisionUrl: connectionRedirectUrl(region, source.connectionArn, source.repository, { commit: commit.sha }),
  };
}
