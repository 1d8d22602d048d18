import { expect, test, type Page } from "@playwright/test";
import { DEMO_CASES } from "../emulator/fixtures/demo";
import { ALICE } from "./support/auth";
import { listDemoConnections, seed } from "./support/emulator";
import { EMULATOR_BROWSER_ORIGIN } from "./support/ports";

test.use({ storageState: ALICE });

const BROKEN_ACCOUNT = "333333333333";
const BROKEN_SCOPE = `${BROKEN_ACCOUNT}/us-east-1`;

test.beforeAll(async () => {
  await seed("demo");
});

async function tableNames(page: Page): Promise<string[]> {
  return page.getByTestId("connections-table").locator("tbody tr td:first-child a").allInnerTexts();
}

test("overview totals count each connection once (connections are account-global); the unknown account shows its error", async ({ page }) => {
  const { distinct, perRegion } = await listDemoConnections();
  // Every Region lists the account's connections of all home Regions: three times each over three Regions.
  expect(perRegion.length).toBe(distinct.length * 3);
  const by = (s: string) => distinct.filter((c) => c.ConnectionStatus === s).length;

  await page.goto("/?refresh=1");
  await expect(page.getByTestId("total-connections").locator("[data-value]")).toHaveText(String(distinct.length));
  await expect(page.getByTestId("total-AVAILABLE").locator("[data-value]")).toHaveText(String(by("AVAILABLE")));
  await expect(page.getByTestId("total-PENDING").locator("[data-value]")).toHaveText(String(by("PENDING")));
  await expect(page.getByTestId("total-ERROR").locator("[data-value]")).toHaveText(String(by("ERROR")));

  const banner = page.getByTestId("scope-errors");
  await expect(banner.locator(`[data-scope="${BROKEN_ACCOUNT}"]`)).toContainText(/access denied/i);
  await expect(banner.locator(`[data-scope="${BROKEN_SCOPE}"]`)).toContainText(/access denied/i);
  await expect(banner).toContainText("the connections of 1 account (of 3)");
  await expect(banner).toContainText("the hosts of 1 scope (of 7)");
  // Connections: one row per account, listed through its first configured Region.
  const accounts = page.getByTestId("account-health");
  for (const account of ["111111111111", "222222222222"]) {
    const r = accounts.locator(`tr[data-account="${account}"]`);
    await expect(r).toContainText("reachable");
    await expect(r.getByTestId("answered-by")).toContainText("us-east-1");
    const mine = distinct.filter((c) => c.ConnectionArn?.split(":")[4] === account);
    await expect(r.locator('[data-count="PENDING"]')).toHaveText(String(mine.filter((c) => c.ConnectionStatus === "PENDING").length));
  }
  await expect(accounts.locator(`tr[data-account="${BROKEN_ACCOUNT}"]`)).toContainText("error");
  // Hosts and pipelines: one row per account × Region.
  const health = page.getByTestId("scope-health");
  for (const account of ["111111111111", "222222222222"]) {
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-2"]) {
      await expect(health.locator(`tr[data-scope="${account}/${region}"]`)).toContainText("reachable");
    }
  }
  await expect(health.locator(`tr[data-scope="${BROKEN_SCOPE}"]`)).toContainText("error");
  // The not-AVAILABLE list holds exactly the PENDING and ERROR connections, each once.
  await expect(page.getByTestId("attention-list").locator("li")).toHaveCount(by("PENDING") + by("ERROR"));
});

test("a connection created in a Region no scope watches is listed once, marked, with its home Region's console link", async ({ page }) => {
  const c = DEMO_CASES.unwatchedHomeRegion;
  await page.goto(`/connections?account=${c.account}&region=us-west-2`);
  const rowEl = page.getByTestId("connections-table").locator(`tr[data-connection-id="${c.uuid}"]`);
  await expect(rowEl).toHaveCount(1);
  await expect(rowEl.getByTestId("home-region-not-watched")).toBeVisible();
  await page.goto(`/connections/${c.uuid}`);
  await expect(page.getByTestId("home-region")).toContainText("us-west-2");
  await expect(page.getByTestId("home-region-not-watched")).toBeVisible();
  await expect(page.getByTestId("console-link")).toHaveAttribute("href", `${EMULATOR_BROWSER_ORIGIN}/console/us-west-2/codesuite/settings/${c.account}/us-west-2/codeconnections/connections/${c.uuid}`);
  // A watched one carries no mark.
  await page.goto(`/connections/${DEMO_CASES.sharedConnection.uuid}`);
  await expect(page.getByTestId("home-region")).toContainText("us-east-1");
  await expect(page.getByTestId("home-region-not-watched")).toHaveCount(0);
});

test("filters, search and sort live in the URL, and a shared URL reproduces the view", async ({ page, browser }) => {
  await page.goto("/connections");
  await expect(page.getByTestId("scope-errors")).toContainText(BROKEN_ACCOUNT);

  await page.locator("summary", { hasText: "Status" }).click();
  await page.getByRole("checkbox", { name: "PENDING" }).check();
  await expect(page).toHaveURL(/status=PENDING/);
  await page.getByRole("searchbox", { name: "Search name or ARN" }).fill("github");
  await expect(page).toHaveURL(/q=github/);
  await page.getByRole("link", { name: /^Name/ }).click();
  await expect(page).toHaveURL(/sort=name/);

  const names = await tableNames(page);
  expect(names.length).toBeGreaterThan(1);
  expect(names.every((n) => n.toLowerCase().includes("github"))).toBe(true);
  expect([...names].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base", numeric: true }))).toEqual(names);
  // One status badge per row, each PENDING (a loop over badges alone would pass with none).
  const statuses = await page.getByTestId("connections-table").locator("tbody tr [data-status]").evaluateAll((els) => els.map((e) => e.getAttribute("data-status")));
  expect(statuses).toEqual(names.map(() => "PENDING"));

  // Descending on a second click.
  await page.getByRole("link", { name: /^Name/ }).click();
  await expect(page).toHaveURL(/dir=desc/);
  const desc = await tableNames(page);
  expect(desc).toEqual([...names].reverse());

  const shared = page.url();
  const other = await browser.newPage();
  await other.goto(shared);
  expect(await tableNames(other)).toEqual(desc);
  await expect(other.getByRole("searchbox", { name: "Search name or ARN" })).toHaveValue("github");
  await other.close();
});

test("CSV and JSON exports equal the filtered view", async ({ page, request }) => {
  const query = "status=AVAILABLE&provider=GitHub&region=us-east-1&sort=name";
  await page.goto(`/connections?${query}`);
  const names = await tableNames(page);
  expect(names.length).toBeGreaterThan(2);

  const json = await (await request.get(`/api/connections?${query}&format=json`)).json();
  expect(json.connections.map((c: { name: string }) => c.name)).toEqual(names);
  expect(json.scopeErrors).toEqual([
    { account: BROKEN_ACCOUNT, region: null, listing: "connections", error: expect.stringMatching(/access denied/) },
    { account: BROKEN_ACCOUNT, region: "us-east-1", listing: "hosts", error: expect.stringMatching(/access denied/) },
  ]);
  expect(Object.keys(json.connections[0]).sort()).toEqual(["account", "arn", "hostArn", "id", "name", "prefix", "provider", "region", "status", "statusSince"].sort());

  const csvLink = page.getByTestId("export-csv");
  expect(await csvLink.getAttribute("href")).toContain("format=csv");
  const download = await Promise.all([page.waitForEvent("download"), csvLink.click()]).then(([d]) => d);
  const csv = (await (await download.createReadStream()).toArray()).join("");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("id,arn,name,provider,status,account,region,prefix,hostArn,statusSince");
  expect(lines.slice(1).map((l) => l.split(",")[2])).toEqual(names);

  const bad = await request.get("/api/connections?status=BROKEN");
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toContain('status: "BROKEN"');
});

test("the export equals the filtered view across several pages, field by field, and matches AWS", async ({ page, request }) => {
  const query = "status=AVAILABLE&sort=name";
  // Every row of every page of the view, with what each column shows.
  const shown: { id: string; cells: string[]; status: string | null }[] = [];
  await page.goto(`/connections?${query}`);
  const pages = Number((await page.getByTestId("pager").getAttribute("data-pages")) ?? "1");
  expect(pages).toBeGreaterThan(1);
  for (let n = 1; n <= pages; n++) {
    await page.goto(`/connections?${query}&page=${n}`);
    shown.push(
      ...(await page.getByTestId("connections-table").locator("tbody tr").evaluateAll((rows) =>
        rows.map((r) => ({
          id: r.getAttribute("data-connection-id") ?? "",
          cells: [...r.querySelectorAll("td")].map((td) => (td.firstChild?.textContent ?? td.textContent ?? "").trim()),
          status: r.querySelector("[data-status]")?.getAttribute("data-status") ?? null,
        })),
      )),
    );
  }
  const json = (await (await request.get(`/api/connections?${query}`)).json()) as { connections: Record<string, string | null>[] };
  const rows = json.connections;
  expect(rows.map((r) => r.id)).toEqual(shown.map((r) => r.id));
  const label: Record<string, string> = { GitHubEnterpriseServer: "GitHub Enterprise Server", GitLabSelfManaged: "GitLab self-managed", AzureDevOps: "Azure DevOps" };
  for (const [i, r] of rows.entries()) {
    const view = shown[i];
    // Columns: name, provider, status, account, home Region, ARN prefix, host, since, pipelines.
    expect([view?.cells[0], view?.cells[1], view?.status, view?.cells[3], view?.cells[4], view?.cells[5]], String(r.name)).toEqual([r.name, label[r.provider ?? ""] ?? r.provider, r.status, r.account, r.region, r.prefix]);
    expect(r.statusSince).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  }
  // The fields AWS owns are AWS's: ARN, name, provider, status, host.
  const { distinct } = await listDemoConnections();
  const aws = new Map(distinct.map((c) => [c.ConnectionArn?.split("/").pop(), c]));
  expect(rows).toHaveLength(distinct.filter((c) => c.ConnectionStatus === "AVAILABLE").length);
  for (const r of rows) {
    const c = aws.get(r.id ?? "");
    expect([r.arn, r.name, r.provider, r.status, r.hostArn, r.account, r.region]).toEqual([c?.ConnectionArn, c?.ConnectionName, c?.ProviderType, c?.ConnectionStatus, c?.HostArn ?? null, c?.ConnectionArn?.split(":")[4], c?.ConnectionArn?.split(":")[3]]);
  }
  // The CSV holds the same records.
  const csv = await (await request.get(`/api/connections?${query}&format=csv`)).text();
  const [header, ...lines] = csv.trim().split("\r\n");
  const fields = (header ?? "").split(",");
  expect(lines.map((l) => Object.fromEntries(l.split(",").map((v, j) => [fields[j], v === "" ? null : v])))).toEqual(rows);
});

test("console links follow the ARN prefix, and a full ARN redirects to the id", async ({ page }) => {
  const fresh = DEMO_CASES.resumeTarget;
  await page.goto(`/connections/${fresh.uuid}`);
  await expect(page.getByRole("heading", { name: fresh.name })).toBeVisible();
  await expect(page.getByTestId("console-link")).toHaveAttribute(
    "href",
    `${EMULATOR_BROWSER_ORIGIN}/console/${fresh.region}/codesuite/settings/${fresh.account}/${fresh.region}/codeconnections/connections/${fresh.uuid}`,
  );
  await expect(page.getByTestId("console-link")).toHaveAttribute("target", "_blank");
  await expect(page.getByTestId("tags")).toContainText("team");
  await expect(page.getByTestId("tags")).toContainText("onboarding");

  const legacy = DEMO_CASES.legacyPending;
  await page.goto(`/connections/${encodeURIComponent(legacy.arn)}`);
  await expect(page).toHaveURL(new RegExp(`/connections/${legacy.uuid}$`));
  await expect(page.getByTestId("console-link")).toHaveAttribute(
    "href",
    `${EMULATOR_BROWSER_ORIGIN}/console/${legacy.region}/codesuite/settings/${legacy.account}/${legacy.region}/codestar-connections/connections/${legacy.uuid}`,
  );
  await expect(page.getByTestId("prefix")).toContainText("codestar-connections:");
});

test("an unknown connection or host id is an HTTP 404 with a proper page", async ({ page }) => {
  const res = await page.goto("/connections/00000000-0000-4000-8000-000000000000");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Connection not found" })).toBeVisible();
  const junk = await page.goto("/connections/not-an-id");
  expect(junk?.status()).toBe(404);
  const host = await page.goto("/hosts/no-such-host-00000000");
  expect(host?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Host not found" })).toBeVisible();
});

test("hosts list and a host's connections", async ({ page }) => {
  const host = DEMO_CASES.availableHost;
  await page.goto("/hosts");
  await expect(page.getByTestId("hosts-table").locator(`tr[data-host-id="${host.id}"]`)).toContainText("AVAILABLE");
  await page.getByRole("link", { name: host.name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/hosts/${host.id}$`));
  await expect(page.getByTestId("connections-table")).toContainText(DEMO_CASES.ghesConnection.name);
  const pending = DEMO_CASES.pendingHost;
  await page.goto(`/hosts/${pending.id}`);
  await expect(page.getByText("This host is not set up yet")).toBeVisible();
});
