import { createHmac, randomUUID } from "node:crypto";
import { DEMO_WEBHOOK_SECRET } from "../../scripts/demo-env.mjs";

/** A signed GitHub push: what `POST /api/webhooks/github` takes. */
export interface SignedPush {
  body: string;
  headers: Record<string, string>;
}

/** A minimal GitHub push, signed with the demo webhook secret; `padding` grows the body to about that many bytes. */
export function githubPush(repository: string, sha: string, padding = 0): SignedPush {
  const base = { ref: "refs/heads/main", before: "1".repeat(40), after: sha, repository: { full_name: repository, pushed_at: Math.floor(Date.now() / 1000) }, commits: [], padding: "" };
  const overhead = Buffer.byteLength(JSON.stringify(base));
  const body = JSON.stringify({ ...base, padding: padding > overhead ? "x".repeat(padding - overhead) : "" });
  const signature = `sha256=${createHmac("sha256", DEMO_WEBHOOK_SECRET).update(body).digest("hex")}`;
  return { body, headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": randomUUID(), "x-hub-signature-256": signature } };
}

/** A random 40-hex commit id. */
export const randomSha = (): string => randomUUID().replaceAll("-", "").padEnd(40, "0").slice(0, 40);
