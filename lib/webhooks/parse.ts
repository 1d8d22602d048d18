import type { HeaderSource } from "./body";
import type { WebhookProvider } from "./verify";

/**
 * Push payloads → what Tether keeps (each provider's push event documentation). Push time: GitHub's
 * `repository.pushed_at` (epoch seconds); GitLab and Bitbucket send none, so the receipt time.
 * Changed files: from the commits' added/modified/removed lists when the payload lists every
 * commit (GitLab lists at most 20; Bitbucket lists no files), otherwise unknown.
 */

export class PayloadError extends Error {
  override name = "PayloadError";
}

export type Parsed =
  | { kind: "ping" }
  | { kind: "ignored"; reason: string; event: string }
  | { kind: "push"; event: string; repository: string; branch: string; sha: string; beforeSha: string | null; paths: string[] | null; pushedAt: string | null };

const SHA = /^[0-9a-f]{40}$/i;
const ZERO = /^0+$/;
type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null);
const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);

function need<T>(v: T | null | undefined, what: string): T {
  if (v === null || v === undefined) throw new PayloadError(`missing or malformed ${what}`);
  return v;
}

function filesOf(commits: unknown): string[] | null {
  if (!Array.isArray(commits)) return null;
  const out = new Set<string>();
  for (const c of commits) {
    const o = obj(c);
    if (!o) return null;
    for (const k of ["added", "modified", "removed"]) {
      const list = o[k];
      if (list === undefined) continue;
      if (!Array.isArray(list)) return null;
      for (const f of list) if (typeof f === "string") out.add(f);
    }
  }
  return [...out];
}

function pushedAtOf(v: unknown): string | null {
  if (typeof v === "number" && Number.isFinite(v)) return new Date(v * 1000).toISOString();
  if (typeof v === "string" && v) {
    const t = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  return null;
}

function github(event: string, body: Json): Parsed {
  if (event === "ping") return { kind: "ping" };
  if (event !== "push") return { kind: "ignored", reason: `event ${event}`, event };
  const ref = need(str(body.ref), "ref");
  const repo = need(obj(body.repository), "repository");
  const repository = need(str(repo.full_name), "repository.full_name");
  const after = need(str(body.after), "after");
  if (body.deleted === true || ZERO.test(after)) return { kind: "ignored", reason: "branch or tag deletion", event };
  if (!ref.startsWith("refs/heads/")) return { kind: "ignored", reason: ref.startsWith("refs/tags/") ? "tag push" : `ref ${ref}`, event };
  if (!SHA.test(after)) throw new PayloadError("after is not a commit SHA");
  const before = str(body.before);
  return { kind: "push", event, repository, branch: ref.slice("refs/heads/".length), sha: after.toLowerCase(), beforeSha: before && !ZERO.test(before) ? before.toLowerCase() : null, paths: filesOf(body.commits), pushedAt: pushedAtOf(repo.pushed_at) };
}

function gitlab(event: string, body: Json): Parsed {
  if (event === "Tag Push Hook") return { kind: "ignored", reason: "tag push", event };
  if (event !== "Push Hook") return { kind: "ignored", reason: `event ${event}`, event };
  if (body.object_kind !== "push") throw new PayloadError("object_kind is not push");
  const ref = need(str(body.ref), "ref");
  const project = need(obj(body.project), "project");
  const repository = need(str(project.path_with_namespace), "project.path_with_namespace");
  const after = need(str(body.checkout_sha) ?? str(body.after), "after");
  if (ZERO.test(after) || body.checkout_sha === null) return { kind: "ignored", reason: "branch deletion", event };
  if (!ref.startsWith("refs/heads/")) return { kind: "ignored", reason: `ref ${ref}`, event };
  if (!SHA.test(after)) throw new PayloadError("after is not a commit SHA");
  const commits = Array.isArray(body.commits) ? body.commits : null;
  const total = typeof body.total_commits_count === "number" ? body.total_commits_count : null;
  const complete = commits !== null && total !== null && commits.length >= total;
  const before = str(body.before);
  return { kind: "push", event, repository, branch: ref.slice("refs/heads/".length), sha: after.toLowerCase(), beforeSha: before && !ZERO.test(before) ? before.toLowerCase() : null, paths: complete ? filesOf(commits) : null, pushedAt: null };
}

function bitbucket(event: string, body: Json): Parsed {
  if (event === "diagnostics:ping") return { kind: "ping" };
  if (event !== "repo:push") return { kind: "ignored", reason: `event ${event}`, event };
  const repo = need(obj(body.repository), "repository");
  const repository = need(str(repo.full_name), "repository.full_name");
  const push = need(obj(body.push), "push");
  const changes = need(Array.isArray(push.changes) ? (push.changes as unknown[]) : null, "push.changes");
  // One push may carry several refs; Tether keeps the first branch update.
  for (const c of changes) {
    const change = obj(c);
    const next = obj(change?.new);
    if (!change || !next || change.closed === true) continue;
    if (next.type !== "branch") continue;
    const name = need(str(next.name), "push.changes[].new.name");
    const hash = need(str(obj(next.target)?.hash), "push.changes[].new.target.hash");
    if (!SHA.test(hash)) throw new PayloadError("new.target.hash is not a commit SHA");
    const before = str(obj(obj(change.old)?.target)?.hash);
    return { kind: "push", event, repository, branch: name, sha: hash.toLowerCase(), beforeSha: before ? before.toLowerCase() : null, paths: null, pushedAt: null };
  }
  return { kind: "ignored", reason: changes.length ? "no branch update (tag or deletion)" : "no changes", event };
}

export function parseDelivery(provider: WebhookProvider, h: HeaderSource, raw: string): Parsed {
  const event = provider === "github" ? h.get("x-github-event") : provider === "gitlab" ? h.get("x-gitlab-event") : h.get("x-event-key");
  if (!event) throw new PayloadError(`missing ${provider === "github" ? "X-GitHub-Event" : provider === "gitlab" ? "X-Gitlab-Event" : "X-Event-Key"} header`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new PayloadError("the body is not JSON");
  }
  const body = obj(json);
  if (!body) throw new PayloadError("the body is not a JSON object");
  return provider === "github" ? github(event, body) : provider === "gitlab" ? gitlab(event, body) : bitbucket(event, body);
}
