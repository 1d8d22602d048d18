import { describe, expect, test } from "vitest";
import { parseDelivery, PayloadError } from "./parse";

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const BEFORE = "9c0e3d1a2b4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d";
const h = (x: Record<string, string>) => new Headers(x);

describe("GitHub", () => {
  const push = (over: object = {}) =>
    JSON.stringify({ ref: "refs/heads/main", before: BEFORE, after: SHA, repository: { full_name: "acme/web", pushed_at: 1764072000 }, commits: [{ added: ["a.ts"], modified: ["b.ts"], removed: [] }, { added: [], modified: ["b.ts", "c/d.md"], removed: ["e"] }], ...over });

  test("a push: repository, branch, head SHA, pushed_at, files", () => {
    expect(parseDelivery("github", h({ "x-github-event": "push" }), push())).toEqual({
      kind: "push",
      event: "push",
      repository: "acme/web",
      branch: "main",
      sha: SHA,
      beforeSha: BEFORE,
      paths: ["a.ts", "b.ts", "c/d.md", "e"],
      pushedAt: "2025-11-25T12:00:00.000Z",
    });
  });

  test("ping, tags, deletions and other events", () => {
    expect(parseDelivery("github", h({ "x-github-event": "ping" }), "{}")).toEqual({ kind: "ping" });
    expect(parseDelivery("github", h({ "x-github-event": "push" }), push({ ref: "refs/tags/v1" }))).toMatchObject({ kind: "ignored", reason: "tag push" });
    expect(parseDelivery("github", h({ "x-github-event": "push" }), push({ deleted: true, after: "0".repeat(40) }))).toMatchObject({ kind: "ignored", reason: "branch or tag deletion" });
    expect(parseDelivery("github", h({ "x-github-event": "issues" }), "{}")).toMatchObject({ kind: "ignored" });
  });

  test.each([
    ["not JSON", "{", /not JSON/],
    ["no repository", JSON.stringify({ ref: "refs/heads/main", after: SHA }), /repository/],
    ["bad sha", JSON.stringify({ ref: "refs/heads/main", after: "xyz", repository: { full_name: "a/b" } }), /SHA/],
    ["an array", "[]", /object/],
  ])("malformed: %s", (_n, body, message) => {
    expect(() => parseDelivery("github", h({ "x-github-event": "push" }), body)).toThrow(PayloadError);
    expect(() => parseDelivery("github", h({ "x-github-event": "push" }), body)).toThrow(message);
  });

  test("missing event header", () => {
    expect(() => parseDelivery("github", h({}), "{}")).toThrow("missing X-GitHub-Event header");
  });
});

describe("GitLab", () => {
  const body = (over: object = {}) => JSON.stringify({ object_kind: "push", ref: "refs/heads/dev", before: BEFORE, after: SHA, checkout_sha: SHA, project: { path_with_namespace: "acme/api" }, commits: [{ added: ["x"], modified: [], removed: [] }], total_commits_count: 1, ...over });
  test("push; files only when every commit is listed; no push time", () => {
    expect(parseDelivery("gitlab", h({ "x-gitlab-event": "Push Hook" }), body())).toMatchObject({ kind: "push", repository: "acme/api", branch: "dev", sha: SHA, paths: ["x"], pushedAt: null });
    expect(parseDelivery("gitlab", h({ "x-gitlab-event": "Push Hook" }), body({ total_commits_count: 25 }))).toMatchObject({ paths: null });
    expect(parseDelivery("gitlab", h({ "x-gitlab-event": "Tag Push Hook" }), body())).toMatchObject({ kind: "ignored", reason: "tag push" });
    expect(parseDelivery("gitlab", h({ "x-gitlab-event": "Push Hook" }), body({ checkout_sha: null, after: "0".repeat(40) }))).toMatchObject({ kind: "ignored" });
  });
});

describe("Bitbucket", () => {
  const body = (changes: unknown[]) => JSON.stringify({ repository: { full_name: "acme/pay" }, push: { changes } });
  test("the first branch update; tags and deletions ignored", () => {
    expect(parseDelivery("bitbucket", h({ "x-event-key": "repo:push" }), body([{ new: { type: "branch", name: "main", target: { hash: SHA } }, old: { target: { hash: BEFORE } } }]))).toMatchObject({
      kind: "push",
      repository: "acme/pay",
      branch: "main",
      sha: SHA,
      beforeSha: BEFORE,
      paths: null,
    });
    expect(parseDelivery("bitbucket", h({ "x-event-key": "repo:push" }), body([{ new: { type: "tag", name: "v1", target: { hash: SHA } } }]))).toMatchObject({ kind: "ignored" });
    expect(parseDelivery("bitbucket", h({ "x-event-key": "repo:push" }), body([{ new: null, closed: true }]))).toMatchObject({ kind: "ignored" });
    expect(parseDelivery("bitbucket", h({ "x-event-key": "diagnostics:ping" }), "{}")).toEqual({ kind: "ping" });
  });
});
