import { DEMO_CASES } from "../emulator/fixtures/demo";
import { expect, test } from "./fixtures";
import { ConnectionPage } from "./pages/connection";
import { ConnectionsPage } from "./pages/connections";
import { HostsPage } from "./pages/hosts";
import { OverviewPage } from "./pages/overview";
import { EMULATOR_BROWSER_ORIGIN } from "./support/ports";

test.use({ user: "alice" });
// Several tests walk a dozen page loads each; 30 s is too tight on a loaded two-core machine.
test.describe.configure({ timeout: 60_000 });

const BROKEN_ACCOUNT = "333333333333";
const BROKEN_SCOPE = `${BROKEN_ACCOUNT}/us-east-1`;
const DEMO_ACCOUNTS = ["111111111111", "222222222222"];

test("overview totals count each connection once (connections are account-global); the unknown account shows its error", async ({ page, emulator }) => {
  const { distinct, perRegion } = await emulator.demoConnections();
  // Every Region lists the account's connections of all home Regions: three times each over three Regions.
  expect(perRegion.length).toBe(distinct.length * 3);
  const by = (s: string) => distinct.filter((c) => c.ConnectionStatus === s).length;
  // The demo fixture has connections of each status (else the totals below prove little).
  for (const s of ["AVAILABLE", "PENDING", "ERROR"]) expect(by(s), s).toBeGreaterThan(0);

  const overview = new OverviewPage(page);
  await overview.goto({ refresh: true });
  await expect(overview.total("connections")).toHaveText(String(distinct.length));
  await expect(overview.total("AVAILABLE")).toHaveText(String(by("AVAILABLE")));
  await expect(overview.total("PENDING")).toHaveText(String(by("PENDING")));
  await expect(overview.total("ERROR")).toHaveText(String(by("ERROR")));

  await expect(overview.scopeErrors.of(BROKEN_ACCOUNT)).toContainText(/access denied/i);
  await expect(overview.scopeErrors.of(BROKEN_SCOPE)).toContainText(/access denied/i);
  await expect(overview.scopeErrors.banner).toContainText("the connections of 1 account (of 3)");
  await expect(overview.scopeErrors.banner).toContainText("the hosts of 1 scope (of 7)");
  // Connections: one row per account, listed through its first configured Region.
  for (const account of DEMO_ACCOUNTS) {
    await expect(overview.account(account)).toContainText("reachable");
    await expect(overview.answeredBy(account)).toContainText("us-east-1");
    const mine = distinct.filter((c) => c.ConnectionArn?.split(":")[4] === account);
    await expect(overview.accountCount(account, "PENDING")).toHaveText(String(mine.filter((c) => c.ConnectionStatus === "PENDING").length));
  }
  await expect(overview.account(BROKEN_ACCOUNT)).toContainText("error");
  // Hosts and pipelines: one row per account × Region.
  for (const account of DEMO_ACCOUNTS) {
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-2"]) {
      await expect(overview.scope(`${account}/${region}`)).toContainText("reachable");
    }
  }
  await expect(overview.scope(BROKEN_SCOPE)).toContainText("error");
  // The not-AVAILABLE list holds exactly the PENDING and ERROR connections, each once.
  await expect(overview.attention).toHaveCount(by("PENDING") + by("ERROR"));
});

test("a connection created in a Region no scope watches is listed once, marked, with its home Region's console link", async ({ page }) => {
  const c = DEMO_CASES.unwatchedHomeRegion;
  const list = new ConnectionsPage(page);
  await list.goto(`account=${c.account}&region=us-west-2`);
  await expect(list.row(c.uuid)).toHaveCount(1);
  await expect(list.homeRegionNotWatched(c.uuid)).toBeVisible();

  const detail = new ConnectionPage(page);
  await detail.goto(c.uuid);
  await expect(detail.homeRegion).toContainText("us-west-2");
  await expect(detail.homeRegionNotWatched).toBeVisible();
  await expect(detail.consoleLink).toHaveAttribute("href", `${EMULATOR_BROWSER_ORIGIN}/console/us-west-2/codesuite/settings/${c.account}/us-west-2/codeconnections/connections/${c.uuid}`);
  // A watched one carries no mark.
  await detail.goto(DEMO_CASES.sharedConnection.uuid);
  await expect(detail.homeRegion).toContainText("us-east-1");
  await expect(detail.homeRegionNotWatched).toHaveCount(0);
});

test("filters, search and sort live in the URL, and a shared URL reproduces the view", async ({ page, app }) => {
  const list = new ConnectionsPage(page);
  await list.goto();
  await expect(list.scopeErrors.banner).toContainText(BROKEN_ACCOUNT);

  await list.filterByStatus("PENDING");
  await expect(page).toHaveURL(/status=PENDING/);
  await list.search.fill("github");
  await expect(page).toHaveURL(/q=github/);
  await list.sortBy("Name");
  await expect(page).toHaveURL(/sort=name/);

  const names = await list.names();
  expect(names.length).toBeGreaterThan(1);
  expect(names.every((n) => n.toLowerCase().includes("github"))).toBe(true);
  expect([...names].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base", numeric: true }))).toEqual(names);
  // One status badge per row, each PENDING (a loop over badges alone would pass with none).
  expect(await list.statuses()).toEqual(names.map(() => "PENDING"));

  // Descending on a second click.
  await list.sortBy("Name");
  await expect(page).toHaveURL(/dir=desc/);
  const desc = await list.names();
  expect(desc).toEqual([...names].reverse());

  const shared = page.url();
  const other = new ConnectionsPage(await app.page("alice"));
  await other.page.goto(shared);
  expect(await other.names()).toEqual(desc);
  await expect(other.search).toHaveValue("github");
});

test("CSV and JSON exports equal the filtered view", async ({ page, request }) => {
  const query = "status=AVAILABLE&provider=GitHub&region=us-east-1&sort=name";
  const list = new ConnectionsPage(page);
  await list.goto(query);
  const names = await list.names();
  expect(names.length).toBeGreaterThan(2);

  const json = await (await request.get(`/api/connections?${query}&format=json`)).json();
  expect(json.connections.map((c: { name: string }) => c.name)).toEqual(names);
  expect(json.scopeErrors).toEqual([
    { account: BROKEN_ACCOUNT, region: null, listing: "connections", error: expect.stringMatching(/access denied/) },
    { account: BROKEN_ACCOUNT, region: "us-east-1", listing: "hosts", error: expect.stringMatching(/access denied/) },
  ]);
  expect(Object.keys(json.connections[0]).sort()).toEqual(["account", "arn", "hostArn", "id", "name", "prefix", "provider", "region", "status", "statusSince"].sort());

  expect(await list.exportCsv.getAttribute("href")).toContain("format=csv");
  const lines = (await list.downloadCsv()).trim().split("\r\n");
  expect(lines[0]).toBe("id,arn,name,provider,status,account,region,prefix,hostArn,statusSince");
  expect(lines.slice(1).map((l) => l.split(",")[2])).toEqual(names);

  const bad = await request.get("/api/connections?status=BROKEN");
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toContain('status: "BROKEN"');
});

test("the export equals the filtered view across several pages, field by field, and matches AWS", async ({ page, request, emulator }) => {
  const query = "status=AVAILABLE&sort=name";
  const list = new ConnectionsPage(page);
  // Every row of every page of the view, with what each column shows.
  await list.goto(query);
  const pages = await list.pageCount();
  expect(pages).toBeGreaterThan(1);
  const shown = [];
  for (let n = 1; n <= pages; n++) {
    await list.goto(`${query}&page=${n}`);
    shown.push(...(await list.shown()));
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
  const { distinct } = await emulator.demoConnections();
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
  const detail = new ConnectionPage(page);
  await detail.goto(fresh.uuid);
  await expect(detail.heading(fresh.name)).toBeVisible();
  await expect(detail.consoleLink).toHaveAttribute(
    "href",
    `${EMULATOR_BROWSER_ORIGIN}/console/${fresh.region}/codesuite/settings/${fresh.account}/${fresh.region}/codeconnections/connections/${fresh.uuid}`,
  );
  await expect(detail.consoleLink).toHaveAttribute("target", "_blank");
  await expect(detail.tags).toContainText("team");
  await expect(detail.tags).toContainText("onboarding");

  const legacy = DEMO_CASES.legacyPending;
  await detail.goto(legacy.arn);
  await expect(page).toHaveURL(new RegExp(`/connections/${legacy.uuid}$`));
  await expect(detail.consoleLink).toHaveAttribute(
    "href",
    `${EMULATOR_BROWSER_ORIGIN}/console/${legacy.region}/codesuite/settings/${legacy.account}/${legacy.region}/codestar-connections/connections/${legacy.uuid}`,
  );
  await expect(detail.prefix).toContainText("codestar-connections:");
});

test("an unknown connection or host id is an HTTP 404 with a proper page", async ({ page }) => {
  const detail = new ConnectionPage(page);
  const res = await detail.goto("00000000-0000-4000-8000-000000000000");
  expect(res?.status()).toBe(404);
  await expect(detail.notFound).toBeVisible();
  const junk = await detail.goto("not-an-id");
  expect(junk?.status()).toBe(404);
  const hosts = new HostsPage(page);
  const host = await hosts.goto("no-such-host-00000000");
  expect(host?.status()).toBe(404);
  await expect(hosts.notFound).toBeVisible();
});

test("hosts list and a host's connections", async ({ page }) => {
  const host = DEMO_CASES.availableHost;
  const hosts = new HostsPage(page);
  await hosts.goto();
  await expect(hosts.row(host.id)).toContainText("AVAILABLE");
  await hosts.open(host.name);
  await expect(page).toHaveURL(new RegExp(`/hosts/${host.id}$`));
  await expect(hosts.connections).toContainText(DEMO_CASES.ghesConnection.name);
  await hosts.goto(DEMO_CASES.pendingHost.id);
  await expect(hosts.notSetUp).toBeVisible();
});
