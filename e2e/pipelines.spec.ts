import { expect, test, type Page } from "@playwright/test";
import { DEMO_CASES, DEMO_PIPELINE_CASES } from "../emulator/fixtures/demo";
import { ALICE, BOB } from "./support/auth";
import { seed } from "./support/emulator";
import { APP_ORIGIN } from "./support/ports";

const C = DEMO_PIPELINE_CASES;
const pipelinePath = (c: { account: string; region: string; name: string }) => `/pipelines/${c.account}/${c.region}/${c.name}`;

test.beforeAll(async () => {
  await seed("demo");
});

test.describe.configure({ timeout: 90_000 });

/** Waits until the background sweep has read execution history (the page says so). */
async function openPipelines(page: Page) {
  await expect(async () => {
    await page.goto("/pipelines?refresh=1");
    await expect(page.getByTestId("pipelines-table")).toBeVisible({ timeout: 1000 });
    await expect(page.locator(`[data-pipeline="${C.healthyV2.account}/${C.healthyV2.region}/${C.healthyV2.name}"] [data-verdict]`)).toHaveAttribute("data-verdict", "healthy", { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
}

test.describe("as alice (admin)", () => {
  test.use({ storageState: ALICE });

  test("a shared connection lists its pipelines; the inventory counts them", async ({ page }) => {
    const shared = DEMO_CASES.sharedConnection;
    await openPipelines(page);
    await page.goto(`/connections/${shared.uuid}`);
    const table = page.getByTestId("connection-pipelines");
    for (const c of [C.sharedA, C.sharedB, C.sharedC, C.sharedD]) await expect(table.locator(`tr[data-pipeline="${c.name}"]`)).toBeVisible();
    await page.goto(`/connections?q=${shared.name}`);
    const count = Number(await page.locator(`tr[data-connection-id="${shared.uuid}"] [data-testid="pipeline-count"]`).innerText());
    expect(count).toBeGreaterThanOrEqual(4);
    // "Used by no pipeline" excludes it.
    await page.goto(`/connections?usage=unused&q=${shared.name}`);
    await expect(page.locator(`tr[data-connection-id="${shared.uuid}"]`)).toHaveCount(0);
  });

  test("each flagged demo case shows its verdict and reason", async ({ page }) => {
    await openPipelines(page);
    const expectations: [keyof typeof C, string, RegExp][] = [
      ["onPendingConnection", "broken", /PENDING/],
      ["onErrorConnection", "broken", /ERROR/],
      ["deletedConnection", "broken", /does not exist/],
      ["triggerExcludesBranch", "broken", /do not include main/],
      ["manualOnly", "degraded", /manual "Release change"/],
      ["healthyV2", "healthy", /./],
    ];
    for (const [key, verdict, reason] of expectations) {
      const row = page.locator(`[data-pipeline="${C[key].account}/${C[key].region}/${C[key].name}"]`);
      await expect(row.locator("[data-verdict]"), key).toHaveAttribute("data-verdict", verdict);
      await expect(row.getByTestId("verdict-reason"), key).toHaveText(reason);
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
    for (const [key, rule] of rules) {
      await page.goto(pipelinePath(C[key]));
      await expect(page.getByTestId("diagnosis").first(), key).toHaveAttribute("data-rule", rule);
    }
    // The legacy-prefix ARN resolves to the connection stored under the new prefix.
    await page.goto(pipelinePath(C.legacyPrefixArn));
    await expect(page.getByRole("link", { name: C.legacyPrefixArn.connectionName ?? "" })).toBeVisible();
  });

  test("the simulator answers for a matching and an excluded branch", async ({ page }) => {
    const c = C.triggerExcludesBranch;
    await page.goto(pipelinePath(c));
    const form = page.getByTestId("simulator-form");
    await form.getByLabel("Branch pushed to").fill("release/2.0");
    await form.getByRole("button", { name: "Simulate push" }).click();
    await expect(page.locator(`[data-sim-pipeline="${c.name}"]`)).toHaveAttribute("data-outcome", "starts");
    expect(page.url()).toContain("sim_branch=release%2F2.0");

    await page.getByTestId("simulator-form").getByLabel("Branch pushed to").fill("main");
    await page.getByTestId("simulator-form").getByRole("button", { name: "Simulate push" }).click();
    const row = page.locator(`[data-sim-pipeline="${c.name}"]`);
    await expect(row).toHaveAttribute("data-outcome", "no");
    await expect(row).toContainText("branch main is not in branches includes release/**");

    // File-path filters: a push that touches services/api starts it, one that does not, does not.
    const f = C.filePathFilter;
    await page.goto(`${pipelinePath(f)}?sim_repo=${encodeURIComponent(f.repository)}&sim_branch=main&sim_paths=services%2Fapi%2Fmain.go`);
    await expect(page.locator(`[data-sim-pipeline="${f.name}"]`)).toHaveAttribute("data-outcome", "starts");
    await page.goto(`${pipelinePath(f)}?sim_repo=${encodeURIComponent(f.repository)}&sim_branch=main&sim_paths=docs%2Findex.md`);
    await expect(page.locator(`[data-sim-pipeline="${f.name}"]`)).toHaveAttribute("data-outcome", "no");
  });

  test("Release change: confirmed, started and audited; a read-only scope's denial is explained", async ({ page }) => {
    const c = C.healthyV2;
    await page.goto(pipelinePath(c));
    await page.getByRole("button", { name: "Release change" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Release change" }).click();
    await expect(page.getByTestId("action-result")).toContainText("Started (execution");

    await page.goto("/pipelines?account=222222222222");
    const other = page.locator("[data-pipeline^='222222222222/']").first();
    const key = (await other.getAttribute("data-pipeline")) ?? "";
    await page.goto(`/pipelines/${key}`);
    await page.getByRole("button", { name: "Release change" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Release change" }).click();
    await expect(page.getByTestId("action-result")).toContainText("does not let the role arn:aws:iam::222222222222:role/TetherReadOnly call codepipeline:StartPipelineExecution");

    await page.goto("/audit?action=pipeline.release");
    await expect(page.getByTestId("audit-table")).toContainText(c.name);
    await expect(page.getByTestId("audit-table")).toContainText("denied by the scope's IAM policy");
  });

  test("Delete: only an unused PENDING connection, confirmed and audited; a read-only scope's denial is explained", async ({ page }) => {
    await openPipelines(page);
    // Used by a pipeline: no Delete, and why.
    await page.goto(`/connections/${DEMO_CASES.legacyPending.uuid}`);
    await expect(page.getByTestId("delete-explanation")).toContainText("pipeline");
    await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);

    const skip = new Set([DEMO_CASES.resumeTarget.uuid, DEMO_CASES.denyTarget.uuid]);
    const pick = async (account: string) => {
      await page.goto(`/connections?status=PENDING&usage=unused&account=${account}`);
      const ids = await page.locator("tr[data-connection-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-connection-id") ?? ""));
      const id = ids.find((x) => !skip.has(x));
      expect(id, `an unused PENDING connection in ${account}`).toBeTruthy();
      return id as string;
    };

    const victim = await pick("111111111111");
    await page.goto(`/connections/${victim}`);
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete connection" }).click();
    // The page refreshes itself into the deleted state (the transient "Deleted" note goes with
    // the Delete button), and stays so on a fresh load.
    await expect(page.getByText("This connection was deleted")).toBeVisible();
    await page.goto(`/connections/${victim}`);
    await expect(page.getByText("This connection was deleted")).toBeVisible();

    const guarded = await pick("222222222222");
    await page.goto(`/connections/${guarded}`);
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete connection" }).click();
    await expect(page.getByTestId("action-result")).toContainText("does not let the role arn:aws:iam::222222222222:role/TetherReadOnly call");

    await page.goto("/audit?action=connection.delete");
    await expect(page.getByTestId("audit-table").getByTestId("audit-outcome").first()).toContainText("error");
    await expect(page.getByTestId("audit-table")).toContainText("allowed");
  });

  test("the pending queue shows how many pipelines a pending connection blocks", async ({ page }) => {
    await openPipelines(page);
    await page.goto("/pending");
    await expect(page.locator(`tr[data-pending-id="${DEMO_CASES.legacyPending.uuid}"]`).getByTestId("blocks")).toHaveText(/blocks \d+ pipelines?/);
  });
});

test.describe("as bob (viewer)", () => {
  test.use({ storageState: BOB });

  test("has no Release change; the POST with his session is 403 and audited as refused", async ({ page, browser }) => {
    const c = C.healthyV1;
    await page.goto(pipelinePath(c));
    await expect(page.getByTestId("verdict")).toBeVisible();
    await expect(page.getByRole("button", { name: "Release change" })).toHaveCount(0);
    // With the Origin a browser sends from Tether's own page (without it: refused as cross-site).
    const res = await page.request.post(`/api/pipelines/${c.account}/${c.region}/${c.name}/release`, { headers: { origin: APP_ORIGIN } });
    expect(res.status()).toBe(403);
    expect(await res.json()).toEqual({ error: "admins only" });

    const admin = await browser.newPage({ storageState: ALICE });
    await admin.goto("/audit?actor=bob%40example.com&action=pipeline.release");
    await expect(admin.getByTestId("audit-table")).toContainText("refused");
    await expect(admin.getByTestId("audit-table")).toContainText(c.name);
    await admin.close();
  });
});
