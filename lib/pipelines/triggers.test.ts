import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { DECISION_TABLE, diagnose, simulate } from "./triggers";
import type { ConnectionState, SourceAction, Trigger } from "@/lib/types";

const action: SourceAction = { stage: "Source", name: "Source", connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/x", repository: "acme/web", branch: "main", detectChanges: true, outputArtifactFormat: "CODE_ZIP" };
const ok: ConnectionState = { exists: true, status: "AVAILABLE", name: "acme-github" };
const pipeline = (triggers: Trigger[] = []) => ({ triggers });
const trigger = (push: Trigger["push"], pullRequest: Trigger["pullRequest"] = []): Trigger => ({ sourceActionName: "Source", push, pullRequest });

describe("diagnose: the decision table, in order", () => {
  test("every rule is documented in docs/pipelines.md, in the table's order", () => {
    const doc = readFileSync(path.resolve(__dirname, "../../docs/pipelines.md"), "utf8");
    // The first numbered table of the document is the decision table (the second is the verdicts').
    const rows = doc.split("\n").map((l) => /^\| \d+ \| ([a-z-]+) \|/.exec(l)?.[1] ?? null);
    const start = rows.findIndex((r) => r !== null);
    const end = rows.indexOf(null, start);
    const documented = rows.slice(start, end);
    expect(documented).toEqual(DECISION_TABLE.map((r) => r.rule));
  });

  test("an unknown connection scope is a warning, not a verdict on the pipeline", () => {
    expect(diagnose(pipeline(), action, { exists: "unknown", reason: "its scope is not configured" })).toMatchObject({ rule: "connection-unknown", verdict: "warning" });
    expect(simulate(pipeline(), action, { exists: "unknown", reason: "x" }, { repository: "acme/web", branch: "main" }).outcome).toBe("unknown");
  });

  test("a missing connection comes first", () => {
    expect(diagnose(pipeline(), { ...action, detectChanges: false }, { exists: false })).toMatchObject({ rule: "connection-missing", verdict: "broken" });
  });

  test.each(["PENDING", "ERROR"])("a %s connection is broken whatever the trigger", (status) => {
    const d = diagnose(pipeline([trigger([{ branches: { includes: ["main"] } }])]), action, { exists: true, status, name: "c" });
    expect(d).toMatchObject({ rule: "connection-not-available", verdict: "broken" });
    expect(d.explanation).toContain(status);
  });

  test("a trigger with pull-request filters only", () => {
    expect(diagnose(pipeline([trigger([], [{ events: ["OPEN"] }])]), action, ok).rule).toBe("no-push-trigger");
  });

  test("a V2 push filter that excludes the branch (DetectChanges is ignored)", () => {
    const d = diagnose(pipeline([trigger([{ branches: { includes: ["release/**"] } }])]), action, ok);
    expect(d).toMatchObject({ rule: "trigger-excludes-branch", verdict: "broken" });
    expect(d.fix).toContain("main");
    expect(diagnose(pipeline([trigger([{ branches: { includes: ["**"], excludes: ["main"] } }])]), action, ok).rule).toBe("trigger-excludes-branch");
    expect(diagnose(pipeline([trigger([{ tags: { includes: ["v*"] } }])]), action, ok).rule).toBe("trigger-excludes-branch");
  });

  test("a trigger that includes the branch wins over DetectChanges false", () => {
    expect(diagnose(pipeline([trigger([{ branches: { includes: ["main"] } }])]), { ...action, detectChanges: false }, ok).rule).toBe("starts-on-push");
  });

  test("a trigger with file paths starts on some pushes only", () => {
    expect(diagnose(pipeline([trigger([{ branches: { includes: ["main"] }, filePaths: { includes: ["src/**"] } }])]), action, ok)).toMatchObject({ rule: "trigger-filters", verdict: "ok" });
  });

  test("no trigger and DetectChanges false", () => {
    expect(diagnose(pipeline(), { ...action, detectChanges: false }, ok)).toMatchObject({ rule: "detect-changes-off", verdict: "warning" });
  });

  test("a trigger for another source action does not apply", () => {
    const other = { sourceActionName: "Other", push: [{ branches: { includes: ["nothing"] } }], pullRequest: [] };
    expect(diagnose(pipeline([other]), action, ok).rule).toBe("starts-on-push");
  });
});

describe("simulate", () => {
  const push = (p: Partial<Parameters<typeof simulate>[3]> = {}) => ({ repository: "acme/web", branch: "main", ...p });

  test("no trigger: the action's branch with DetectChanges on", () => {
    expect(simulate(pipeline(), action, ok, push()).outcome).toBe("starts");
    expect(simulate(pipeline(), action, ok, push({ branch: "dev" }))).toEqual({ outcome: "no", reason: "it follows branch main, not dev" });
    expect(simulate(pipeline(), { ...action, detectChanges: false }, ok, push()).outcome).toBe("no");
    expect(simulate(pipeline(), action, ok, push({ repository: "ACME/Web" })).outcome).toBe("starts");
    expect(simulate(pipeline(), action, ok, push({ repository: "acme/api" })).outcome).toBe("no");
    expect(simulate(pipeline(), action, ok, { repository: "acme/web", tags: ["v1"] }).outcome).toBe("no");
  });

  test("the documented trigger example: branches + file paths, excludes win", () => {
    // From pipelines-filter-cli.html.
    const t = trigger([{ filePaths: { includes: ["projectA/**", "common/**/*.js"], excludes: ["**/README.md", "**/LICENSE", "**/CONTRIBUTING.md"] }, branches: { includes: ["feature/**", "release/**"], excludes: ["mainline"] } }]);
    const p = pipeline([t]);
    expect(simulate(p, action, ok, push({ branch: "feature/login", paths: ["projectA/src/a.ts"] })).outcome).toBe("starts");
    expect(simulate(p, action, ok, push({ branch: "feature/login", paths: ["projectA/docs/README.md"] })).outcome).toBe("no");
    expect(simulate(p, action, ok, push({ branch: "mainline", paths: ["projectA/a.ts"] })).outcome).toBe("no");
    expect(simulate(p, action, ok, push({ branch: "release/1.2", paths: ["common/util/x.js", "other/y"] })).outcome).toBe("starts");
    expect(simulate(p, action, ok, push({ branch: "release/1.2", paths: null })).outcome).toBe("unknown");
  });

  test("tags, several filters (any one starts it), pull-request-only triggers", () => {
    const p = pipeline([trigger([{ tags: { includes: ["release-v0", "release-v1"], excludes: ["release-v2"] } }, { branches: { includes: ["main"] } }])]);
    expect(simulate(p, action, ok, { repository: "acme/web", tags: ["release-v1"] }).outcome).toBe("starts");
    expect(simulate(p, action, ok, { repository: "acme/web", tags: ["release-v2"] }).outcome).toBe("no");
    expect(simulate(p, action, ok, push()).outcome).toBe("starts");
    expect(simulate(pipeline([trigger([], [{ events: ["OPEN"] }])]), action, ok, push()).outcome).toBe("no");
  });

  test("nothing starts on a connection that is not AVAILABLE or missing", () => {
    expect(simulate(pipeline(), action, { exists: true, status: "PENDING", name: "c" }, push())).toEqual({ outcome: "no", reason: "its connection c is PENDING" });
    expect(simulate(pipeline(), action, { exists: false }, push()).outcome).toBe("no");
  });
});
