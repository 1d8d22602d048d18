import { DEMO_CASES, DEMO_PIPELINE_CASES } from "../emulator/fixtures/demo";
import { expect, test } from "./fixtures";
import { AuditPage } from "./pages/audit";
import { ConnectionPage } from "./pages/connection";
import { ConnectionsPage } from "./pages/connections";
import { PendingPage } from "./pages/pending";
import { PipelinePage } from "./pages/pipeline";
import { PipelinesPage } from "./pages/pipelines";

const C = DEMO_PIPELINE_CASES;

test.describe.configure({ timeout: 90_000 });

test.describe("as alice (admin)", () => {
  test.use({ user: "alice" });

  test("a shared connection lists its pipelines; the inventory counts them", async ({ page }) => {
    const shared = DEMO_CASES.sharedConnection;
    // The demo fixture (emulator/BEHAVIOR.md, named cases): exactly four pipelines share it.
    const sharing = [C.sharedA, C.sharedB, C.sharedC, C.sharedD];
    await new PipelinesPage(page).gotoWhenSwept(C.healthyV2);
    const detail = new ConnectionPage(page);
    await detail.goto(shared.uuid);
    for (const c of sharing) await expect(detail.pipeline(c.name)).toBeVisible();
    await expect(detail.pipelines.locator("tbody tr")).toHaveCount(sharing.length);
    const list = new ConnectionsPage(page);
    await list.goto(`q=${shared.name}`);
    await expect(list.pipelineCount(shared.uuid)).toHaveText(String(sharing.length));
    // "Used by no pipeline" excludes it.
    await list.goto(`usage=unused&q=${shared.name}`);
    await expect(list.row(shared.uuid)).toHaveCount(0);
  });

  test("each flagged demo case shows its verdict and reason", async ({ page }) => {
    const pipelines = new PipelinesPage(page);
    await pipelines.gotoWhenSwept(C.healthyV2);
    // Reasons as lib/pipelines/health.ts and triggers.ts word them (docs/pipelines.md, "Verdicts").
    const expectations: [keyof typeof C, string, string | RegExp][] = [
      ["onPendingConnection", "broken", `The connection ${DEMO_CASES.legacyPending.name} is PENDING: its handshake was never completed in the console. No push starts the pipeline until it is AVAILABLE.`],
      ["onErrorConnection", "broken", `The connection ${DEMO_CASES.errorConnection.name} is ERROR: AWS cannot use it right now. No push starts the pipeline until it is AVAILABLE.`],
      ["deletedConnection", "broken", /^The source action \S+ uses a connection that does not exist \(deleted, or never in this account and region\)\. No push can start this pipeline\.$/],
      ["triggerExcludesBranch", "broken", "The V2 trigger's push filters (branches includes release/**) do not include main, the action's branch; a trigger turns off default change detection, so pushes to main start nothing."],
      // 3–5 manual starts in the last 24 h (the fixture), on commits the branch moved to.
      ["manualOnly", "degraded", /^Every start in the last 24 h was a manual "Release change" \([3-5]\)(, on \d+ different commits: the branch moved but no push started it)?\.$/],
      ["healthyV2", "healthy", "Pushes start it."],
    ];
    for (const [key, verdict, reason] of expectations) {
      await expect(pipelines.verdict(C[key]), key).toHaveAttribute("data-verdict", verdict);
      await expect(pipelines.reason(C[key]), key).toHaveText(reason);
    }
    // The decision-table row each case hits, on its own page.
    const rules: [keyof typeof C, string][] = [
      ["onPendingConnection", "connection-not-available"],
      ["deletedConnection", "connection-missing"],
      ["triggerExcludesBranch", "trigger-excludes-branch"],
      ["detectChangesFalse", "detect-changes-off"],
      ["pullRequestOnly", "no-push-trigger"],
      ["filePathFilter", "trigger-filters"],
      ["legacyPrefixArn", "starts-on-push"],
    ];
    const detail = new PipelinePage(page);
    for (const [key, rule] of rules) {
      await detail.goto(C[key]);
      await expect(detail.diagnosis, key).toHaveAttribute("data-rule", rule);
    }
    // The legacy-prefix ARN resolves to the connection stored under the new prefix.
    await detail.goto(C.legacyPrefixArn);
    await expect(detail.connectionLink(C.legacyPrefixArn.connectionName ?? "")).toBeVisible();
  });

  test("the simulator answers for a matching and an excluded branch", async ({ page }) => {
    const c = C.triggerExcludesBranch;
    const detail = new PipelinePage(page);
    await detail.goto(c);
    await detail.simulatePush("release/2.0");
    await expect(detail.simulated(c.name)).toHaveAttribute("data-outcome", "starts");
    expect(page.url()).toContain("sim_branch=release%2F2.0");

    await detail.simulatePush("main");
    await expect(detail.simulated(c.name)).toHaveAttribute("data-outcome", "no");
    await expect(detail.simulated(c.name)).toContainText("branch main is not in branches includes release/**");

    // File-path filters: a push that touches services/api starts it, one that does not, does not.
    const f = C.filePathFilter;
    await detail.goto(f, `sim_repo=${encodeURIComponent(f.repository)}&sim_branch=main&sim_paths=services%2Fapi%2Fmain.go`);
    await expect(detail.simulated(f.name)).toHaveAttribute("data-outcome", "starts");
    await detail.goto(f, `sim_repo=${encodeURIComponent(f.repository)}&sim_branch=main&sim_paths=docs%2Findex.md`);
    await expect(detail.simulated(f.name)).toHaveAttribute("data-outcome", "no");
  });

  test("Release change: confirmed, started and audited; a read-only scope's denial is explained", async ({ page, emulator }) => {
    const c = C.healthyV2;
    const detail = new PipelinePage(page);
    const startsBefore = await emulator.calls("codepipeline", "StartPipelineExecution");
    await detail.goto(c);
    await detail.releaseChange();
    await expect(detail.actionResult).toContainText("Started (execution");
    expect(await emulator.calls("codepipeline", "StartPipelineExecution")).toBe(startsBefore + 1);

    const pipelines = new PipelinesPage(page);
    await pipelines.goto("account=222222222222");
    const other = await pipelines.firstKeyIn("222222222222");
    expect(other).toMatch(/^222222222222\//);
    await detail.goto(other);
    await detail.releaseChange();
    await expect(detail.actionResult).toContainText("does not let the role arn:aws:iam::222222222222:role/TetherReadOnly call codepipeline:StartPipelineExecution");

    // One record each, on the right pipeline: allowed for the first, the denial for the second.
    const audit = new AuditPage(page);
    await audit.goto({ action: "pipeline.release", target: c.name });
    await expect(audit.rows).toHaveCount(1);
    await expect(audit.outcomes.first()).toHaveText(/^allowed/);
    await audit.goto({ action: "pipeline.release", target: other.split("/")[2] ?? "" });
    await expect(audit.rows).toHaveCount(1);
    await expect(audit.rows.first()).toContainText("denied by the scope's IAM policy");
  });

  test("Delete: only an unused PENDING connection, confirmed and audited; a read-only scope's denial is explained", async ({ page }) => {
    await new PipelinesPage(page).gotoWhenSwept(C.healthyV2);
    const detail = new ConnectionPage(page);
    // Used by a pipeline: no Delete, and why.
    await detail.goto(DEMO_CASES.legacyPending.uuid);
    await expect(detail.deleteExplanation).toContainText("pipeline");
    await expect(detail.deleteButton).toHaveCount(0);

    const list = new ConnectionsPage(page);
    const skip = new Set([DEMO_CASES.resumeTarget.uuid, DEMO_CASES.denyTarget.uuid]);
    const pick = async (account: string) => {
      await list.goto(`status=PENDING&usage=unused&account=${account}`);
      const id = (await list.ids()).find((x) => !skip.has(x));
      expect(id, `an unused PENDING connection in ${account}`).toBeTruthy();
      return id as string;
    };

    const victim = await pick("111111111111");
    await detail.goto(victim);
    await detail.delete();
    // The page refreshes itself into the deleted state (the transient "Deleted" note goes with
    // the Delete button), and stays so on a fresh load.
    await expect(detail.deleted).toBeVisible();
    await detail.goto(victim);
    await expect(detail.deleted).toBeVisible();

    const guarded = await pick("222222222222");
    await detail.goto(guarded);
    await detail.delete();
    await expect(detail.actionResult).toContainText("does not let the role arn:aws:iam::222222222222:role/TetherReadOnly call");

    // Each Delete has its record, on its own connection: allowed, and for the one AWS refused
    // the error that followed.
    const audit = new AuditPage(page);
    await audit.goto({ action: "connection.delete", target: victim });
    await expect(audit.rows).toHaveCount(1);
    await expect(audit.outcomes.first()).toHaveText(/^allowed→ completed .* UTCdeleted$/);
    await audit.goto({ action: "connection.delete", target: guarded });
    await expect(audit.rows).toHaveCount(1);
    await expect(audit.outcomes.first()).toHaveText(/^allowed→ error .* UTCdenied by the scope's IAM policy$/);
  });

  test("the pending queue shows how many pipelines a pending connection blocks", async ({ page }) => {
    await new PipelinesPage(page).gotoWhenSwept(C.healthyV2);
    const pending = new PendingPage(page);
    await pending.goto();
    // The demo fixture: onPendingConnection is the one pipeline on legacyPending's connection.
    expect(C.onPendingConnection.connectionName).toBe(DEMO_CASES.legacyPending.name);
    await expect(pending.blocks(DEMO_CASES.legacyPending.uuid)).toHaveText("blocks 1 pipeline");
  });
});

test.describe("as bob (viewer)", () => {
  test.use({ user: "bob" });

  test("has no Release change; the POST with his session is 403 and audited as refused", async ({ page, app, emulator }) => {
    const c = C.healthyV1;
    const detail = new PipelinePage(page);
    await detail.goto(c);
    await expect(detail.verdict).toBeVisible();
    await expect(detail.releaseButton).toHaveCount(0);
    const startsBefore = await emulator.calls("codepipeline", "StartPipelineExecution");
    // With the Origin a browser sends from Tether's own page (without it: refused as cross-site).
    const res = await page.request.post(`/api/pipelines/${c.account}/${c.region}/${c.name}/release`, { headers: { origin: app.origin } });
    expect(res.status()).toBe(403);
    expect(await res.json()).toEqual({ error: "admins only" });
    expect(await emulator.calls("codepipeline", "StartPipelineExecution")).toBe(startsBefore);

    const audit = new AuditPage(await app.page("alice"));
    await audit.goto({ actor: "bob@example.com", action: "pipeline.release", target: c.name });
    await expect(audit.rows).toHaveCount(1);
    await expect(audit.outcomes.first()).toHaveText(/^refused/);
  });
});
