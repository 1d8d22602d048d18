import { createHash, createHmac } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import type { ProviderType } from "../model";

/**
 * Push webhook deliveries as each git provider sends them (the providers' webhook
 * documentation; BEHAVIOR.md §13): the receiver path, headers and raw body. GitHub and
 * Bitbucket sign the raw body with HMAC-SHA256 (`sha256=<hex>`, computed with
 * `@octokit/webhooks-methods` `sign`); GitLab sends the secret itself in `X-Gitlab-Token`.
 * Azure DevOps has no receiver in Tether: no delivery.
 */

export interface PushEvent {
  provider: ProviderType;
  /** `owner/name` */
  repository: string;
  branch: string;
  /** The branch head before the push; 40 zeros when the branch is new. */
  before: string;
  /** The pushed commit. */
  after: string;
  message: string;
  added: string[];
  modified: string[];
  removed: string[];
  pushedAt: Date;
  deliveryId: string;
  /** Self-managed providers (GHES, GitLab self-managed): the host's ProviderEndpoint. */
  hostEndpoint?: string;
  author: { name: string; username: string; email: string };
}

export interface Delivery {
  /** Receiver path on the app: `/api/webhooks/github` | `/gitlab` | `/bitbucket`. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export const ZERO_SHA = "0".repeat(40);

/** The receiver for a provider, or undefined (Azure DevOps). */
export function receiverOf(provider: ProviderType): "github" | "gitlab" | "bitbucket" | undefined {
  switch (provider) {
    case "GitHub":
    case "GitHubEnterpriseServer":
      return "github";
    case "GitLab":
    case "GitLabSelfManaged":
      return "gitlab";
    case "Bitbucket":
      return "bitbucket";
    case "AzureDevOps":
      return undefined;
  }
}

export async function buildDelivery(e: PushEvent, secret: string): Promise<Delivery | undefined> {
  switch (receiverOf(e.provider)) {
    case "github":
      return github(e, secret);
    case "gitlab":
      return gitlab(e, secret);
    case "bitbucket":
      return bitbucket(e, secret);
    case undefined:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------

/** A stable number / hex / uuid from a seed (ids in payloads stay the same for a repository). */
function num(seed: string, digits: number): number {
  const h = createHash("sha256").update(seed).digest();
  return 10 ** (digits - 1) + (h.readUInt32BE(0) % (9 * 10 ** (digits - 1)));
}

function hex(seed: string, n: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, n);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const epochSeconds = (d: Date) => Math.floor(d.getTime() / 1000);
/** ISO-8601 with an explicit offset, as GitHub and GitLab write commit times. */
const isoOffset = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "+00:00");

function split(repository: string): { owner: string; name: string } {
  const [owner = repository, name = repository] = repository.split("/");
  return { owner, name };
}

function hostOf(e: PushEvent, fallback: string): string {
  if (!e.hostEndpoint) return fallback;
  try {
    return new URL(e.hostEndpoint).host;
  } catch {
    return fallback;
  }
}

function github(e: PushEvent, secret: string): Promise<Delivery> {
  const ghes = e.provider === "GitHubEnterpriseServer";
  const host = hostOf(e, "github.com");
  const web = `https://${host}`;
  const api = ghes ? `${web}/api/v3` : "https://api.github.com";
  const { owner, name } = split(e.repository);
  const created = e.before === ZERO_SHA;
  const repoCreated = new Date(Date.UTC(2021, 0, 1) + (num(`${e.repository}/created`, 9) % 1_000) * 86_400_000);
  const user = { login: e.author.username, id: num(`user/${e.author.username}`, 7), type: "User", site_admin: false };
  const commit = {
    id: e.after,
    tree_id: hex(`${e.after}/tree`, 40),
    distinct: true,
    message: e.message,
    timestamp: isoOffset(e.pushedAt),
    url: `${web}/${e.repository}/commit/${e.after}`,
    author: { name: e.author.name, email: e.author.email, username: e.author.username },
    committer: { name: e.author.name, email: e.author.email, username: e.author.username },
    added: e.added,
    removed: e.removed,
    modified: e.modified,
  };
  const payload = {
    ref: `refs/heads/${e.branch}`,
    before: e.before,
    after: e.after,
    repository: {
      id: num(`${host}/${e.repository}`, 9),
      node_id: `R_kgDO${hex(`${e.repository}/node`, 8)}`,
      name,
      full_name: e.repository,
      private: true,
      owner: { name: owner, email: null, login: owner, id: num(`org/${owner}`, 7), type: "Organization", site_admin: false },
      html_url: `${web}/${e.repository}`,
      description: null,
      fork: false,
      url: `${web}/${e.repository}`,
      created_at: epochSeconds(repoCreated),
      updated_at: e.pushedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
      pushed_at: epochSeconds(e.pushedAt),
      git_url: `git://${host}/${e.repository}.git`,
      ssh_url: `git@${host}:${e.repository}.git`,
      clone_url: `${web}/${e.repository}.git`,
      default_branch: "main",
      master_branch: "main",
      organization: owner,
      visibility: "private",
      archived: false,
      disabled: false,
    },
    pusher: { name: e.author.username, email: e.author.email },
    organization: { login: owner, id: num(`org/${owner}`, 7), url: `${api}/orgs/${owner}` },
    sender: user,
    created,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `${web}/${e.repository}/compare/${e.before.slice(0, 12)}...${e.after.slice(0, 12)}`,
    commits: [commit],
    head_commit: commit,
  };
  const body = JSON.stringify(payload);
  return sign(secret, body).then((signature256) => ({
    path: "/api/webhooks/github",
    headers: {
      "Content-Type": "application/json",
      "User-Agent": `GitHub-Hookshot/${hex("hookshot", 7)}`,
      "X-GitHub-Event": "push",
      "X-GitHub-Delivery": e.deliveryId,
      "X-GitHub-Hook-ID": String(num(`${e.repository}/hook`, 9)),
      "X-GitHub-Hook-Installation-Target-ID": String(payload.repository.id),
      "X-GitHub-Hook-Installation-Target-Type": "repository",
      "X-Hub-Signature": `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`,
      "X-Hub-Signature-256": signature256,
      ...(ghes ? { "X-GitHub-Enterprise-Host": host, "X-GitHub-Enterprise-Version": "3.14.2" } : {}),
    },
    body,
  }));
}

function gitlab(e: PushEvent, secret: string): Delivery {
  const instance = e.hostEndpoint ? new URL(e.hostEndpoint).origin : "https://gitlab.com";
  const { owner, name } = split(e.repository);
  const projectId = num(`${instance}/${e.repository}`, 8);
  const webUrl = `${instance}/${e.repository}`;
  const host = new URL(instance).host;
  const title = e.message.split("\n")[0] ?? e.message;
  const payload = {
    object_kind: "push",
    event_name: "push",
    before: e.before,
    after: e.after,
    ref: `refs/heads/${e.branch}`,
    ref_protected: e.branch === "main",
    checkout_sha: e.after,
    message: null,
    user_id: num(`user/${e.author.username}`, 7),
    user_name: e.author.name,
    user_username: e.author.username,
    user_email: "",
    user_avatar: `${instance}/uploads/-/system/user/avatar/${num(`user/${e.author.username}`, 7)}/avatar.png`,
    project_id: projectId,
    project: {
      id: projectId,
      name,
      description: null,
      web_url: webUrl,
      avatar_url: null,
      git_ssh_url: `git@${host}:${e.repository}.git`,
      git_http_url: `${webUrl}.git`,
      namespace: owner,
      visibility_level: 0,
      path_with_namespace: e.repository,
      default_branch: "main",
      ci_config_path: "",
      homepage: webUrl,
      url: `git@${host}:${e.repository}.git`,
      ssh_url: `git@${host}:${e.repository}.git`,
      http_url: `${webUrl}.git`,
    },
    commits: [
      {
        id: e.after,
        message: e.message,
        title,
        timestamp: isoOffset(e.pushedAt),
        url: `${webUrl}/-/commit/${e.after}`,
        author: { name: e.author.name, email: e.author.email },
        added: e.added,
        modified: e.modified,
        removed: e.removed,
      },
    ],
    total_commits_count: 1,
    push_options: {},
    repository: {
      name,
      url: `git@${host}:${e.repository}.git`,
      description: null,
      homepage: webUrl,
      git_http_url: `${webUrl}.git`,
      git_ssh_url: `git@${host}:${e.repository}.git`,
      visibility_level: 0,
    },
  };
  return {
    path: "/api/webhooks/gitlab",
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "GitLab/17.6.1",
      "X-Gitlab-Event": "Push Hook",
      "X-Gitlab-Token": secret,
      "X-Gitlab-Event-UUID": e.deliveryId,
      "X-Gitlab-Webhook-UUID": uuid(`${instance}/${e.repository}/webhook`),
      "X-Gitlab-Instance": instance,
      "Idempotency-Key": uuid(`${e.deliveryId}/idempotency`),
    },
    body: JSON.stringify(payload),
  };
}

async function bitbucket(e: PushEvent, secret: string): Promise<Delivery> {
  const { owner, name } = split(e.repository);
  const web = `https://bitbucket.org/${e.repository}`;
  const api = `https://api.bitbucket.org/2.0/repositories/${e.repository}`;
  const brace = (seed: string) => `{${uuid(seed)}}`;
  const actor = {
    type: "user",
    display_name: e.author.name,
    uuid: brace(`bitbucket/user/${e.author.username}`),
    account_id: `5f${hex(`bitbucket/account/${e.author.username}`, 22)}`,
    nickname: e.author.username,
    links: { html: { href: `https://bitbucket.org/${brace(`bitbucket/user/${e.author.username}`)}/` } },
  };
  const author = { type: "author", raw: `${e.author.name} <${e.author.email}>`, user: actor };
  const created = e.before === ZERO_SHA;
  const branchLinks = {
    self: { href: `${api}/refs/branches/${e.branch}` },
    commits: { href: `${api}/commits/${e.branch}` },
    html: { href: `${web}/branch/${e.branch}` },
  };
  const newTarget = {
    type: "commit",
    hash: e.after,
    date: isoOffset(e.pushedAt),
    author,
    message: `${e.message}\n`,
    summary: { type: "rendered", raw: `${e.message}\n`, markup: "markdown", html: `<p>${e.message}</p>` },
    parents: created ? [] : [{ type: "commit", hash: e.before, links: { html: { href: `${web}/commits/${e.before}` } } }],
    links: { self: { href: `${api}/commit/${e.after}` }, html: { href: `${web}/commits/${e.after}` } },
  };
  const payload = {
    push: {
      changes: [
        {
          old: created
            ? null
            : {
                type: "branch",
                name: e.branch,
                target: { type: "commit", hash: e.before, links: { html: { href: `${web}/commits/${e.before}` } } },
                links: branchLinks,
              },
          new: { type: "branch", name: e.branch, target: newTarget, links: branchLinks },
          truncated: false,
          created,
          forced: false,
          closed: false,
          links: {
            commits: { href: `${api}/commits?include=${e.after}${created ? "" : `&exclude=${e.before}`}` },
            ...(created ? {} : { diff: { href: `${api}/diff/${e.after}..${e.before}` } }),
            html: { href: `${web}/branches/compare/${e.after}..${e.before}` },
          },
          commits: [
            {
              type: "commit",
              hash: e.after,
              date: isoOffset(e.pushedAt),
              author,
              message: `${e.message}\n`,
              links: { self: { href: `${api}/commit/${e.after}` }, html: { href: `${web}/commits/${e.after}` } },
            },
          ],
        },
      ],
    },
    actor,
    repository: {
      type: "repository",
      full_name: e.repository,
      name,
      uuid: brace(`bitbucket/repo/${e.repository}`),
      is_private: true,
      scm: "git",
      website: null,
      links: { self: { href: api }, html: { href: web }, avatar: { href: `https://bytebucket.org/ravatar/${brace(`bitbucket/repo/${e.repository}`)}` } },
      owner: { type: "team", display_name: owner, uuid: brace(`bitbucket/workspace/${owner}`), username: owner },
      workspace: { type: "workspace", slug: owner, name: owner, uuid: brace(`bitbucket/workspace/${owner}`) },
      project: { type: "project", key: owner.toUpperCase().slice(0, 10), name: owner, uuid: brace(`bitbucket/project/${owner}`) },
    },
  };
  const body = JSON.stringify(payload);
  return {
    path: "/api/webhooks/bitbucket",
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "Bitbucket-Webhooks/2.0",
      "X-Event-Key": "repo:push",
      "X-Request-UUID": e.deliveryId,
      "X-Hook-UUID": uuid(`bitbucket/hook/${e.repository}`),
      "X-Attempt-Number": "1",
      "X-Hub-Signature": await sign(secret, body),
    },
    body,
  };
}
