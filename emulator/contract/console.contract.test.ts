import {
  CreateConnectionCommand,
  CreateHostCommand,
  GetConnectionCommand,
  GetHostCommand,
  ListHostsCommand,
  TagResourceCommand,
  type ProviderType,
} from "@aws-sdk/client-codestar-connections";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { REGIONS } from "../accounts";
import { DEMO_CASES } from "../fixtures";
import type { RunningEmulator } from "../server";
import { buttonAttributes, buttons, formAction, labelledControls, request, type PageResponse } from "./browser";
import { connectionsClient, control, startTestEmulator } from "./helpers";

/** The console pages at /console/{region}/codesuite/settings/… (BEHAVIOR.md §7). */

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
});

const { resumeTarget, denyTarget, legacyPending, sharedConnection, errorConnection, pendingHost, availableHost, ghesConnection } =
  DEMO_CASES;

type Svc = "codeconnections" | "codestar-connections";

function connectionPage(c: { account: string; region: string; uuid: string }, svc: Svc = "codeconnections", consoleRegion = c.region): string {
  return `${emulator.url}/console/${consoleRegion}/codesuite/settings/${c.account}/${c.region}/${svc}/connections/${c.uuid}`;
}

function hostPage(h: { account: string; region: string; id: string }, svc: Svc = "codeconnections"): string {
  return `${emulator.url}/console/${h.region}/codesuite/settings/${h.account}/${h.region}/${svc}/hosts/${h.id}`;
}

function get(url: string): Promise<PageResponse> {
  return request(url);
}

function post(url: string, form: Record<string, string>): Promise<PageResponse> {
  return request(url, { form });
}

async function connectionStatus(arn: string, region = "us-east-1"): Promise<string | undefined> {
  const out = await connectionsClient(emulator, { region }).send(new GetConnectionCommand({ ConnectionArn: arn }));
  return out.Connection?.ConnectionStatus;
}

/** The console frame every page shares. */
function expectConsoleFrame(page: PageResponse): void {
  expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(page.text).toContain("AWS Console (Tether emulator)");
}

describe("connection details", () => {
  it.each<Svc>(["codeconnections", "codestar-connections"])("shows a PENDING connection under the %s segment", async (svc) => {
    const page = await get(connectionPage(resumeTarget, svc));
    expect(page.status).toBe(200);
    expectConsoleFrame(page);
    expect(page.text).toMatch(/Developer Tools<\/a><span class="sep" aria-hidden="true">›<\/span><a [^>]*>Settings<\/a><span class="sep" aria-hidden="true">›<\/span><a [^>]*>Connections<\/a>/);
    expect(page.text).toContain(`<h1>${resumeTarget.name}</h1>`);
    expect(page.text).toContain(resumeTarget.arn);
    expect(page.text).toContain("<dd>GitHub</dd>");
    expect(page.text).toContain('<span class="status PENDING">Pending</span>');
    expect(buttons(page.text)).toEqual(["Update pending connection"]);
    expect(formAction(page.text, page.url)).toBe(`${connectionPage(resumeTarget, svc)}/update`);
  });

  it("shows a legacy-prefix connection under either segment, with its own ARN", async () => {
    for (const svc of ["codestar-connections", "codeconnections"] as const) {
      const page = await get(connectionPage(legacyPending, svc));
      expect(page.status).toBe(200);
      expect(page.text).toContain(legacyPending.arn);
    }
  });

  it("shows no button for a connection that is not PENDING", async () => {
    for (const c of [sharedConnection, errorConnection]) {
      const page = await get(connectionPage(c));
      expect(page.status).toBe(200);
      expect(buttons(page.text)).toEqual([]);
    }
    expect((await get(connectionPage(errorConnection))).text).toContain('<span class="status ERROR">Error</span>');
  });

  it("links a self-managed connection to its host", async () => {
    const page = await get(connectionPage(ghesConnection));
    expect(page.text).toContain(`href="/console/us-east-1/codesuite/settings/111111111111/us-east-1/codeconnections/hosts/${availableHost.id}"`);
    expect(page.text).toContain("GitHub Enterprise Server");
  });

  it("answers an HTML 404 for a wrong region, account, segment or id", async () => {
    const wrong = [
      connectionPage(resumeTarget, "codeconnections", "eu-west-1"),
      connectionPage({ ...resumeTarget, region: "eu-west-1" }),
      connectionPage({ ...resumeTarget, account: "222222222222" }),
      connectionPage({ ...resumeTarget, uuid: "00000000-0000-4000-8000-000000000000" }),
      connectionPage(resumeTarget).replace("/codeconnections/", "/codepipeline/"),
      connectionPage(resumeTarget).replace("/connections/", "/hosts/"),
      `${connectionPage(resumeTarget)}/extra`,
      `${emulator.url}/console/us-east-1/codesuite/settings/111111111111/us-east-1/connections/${resumeTarget.uuid}`,
      `${emulator.url}/console`,
      `${emulator.url}/console/us-east-1/codesuite/settings/%E0%A4%A/x`,
    ];
    for (const url of wrong) {
      const page = await get(url);
      expect(page.status, url).toBe(404);
      expectConsoleFrame(page);
      expect(page.text).toContain("Page not found");
    }
    const update = await post(`${connectionPage({ ...resumeTarget, account: "222222222222" })}/update`, { outcome: "complete" });
    expect(update.status).toBe(404);
    expect(await connectionStatus(resumeTarget.arn)).toBe("PENDING");
  });

  it("answers 405 to a POST on a details page", async () => {
    const page = await post(connectionPage(resumeTarget), { outcome: "complete" });
    expect(page.status).toBe(405);
    expect(page.headers.get("allow")).toBe("GET");
  });
});

describe("update pending connection", () => {
  it("shows the provider's authorization screen with Connect and Deny", async () => {
    const page = await get(`${connectionPage(resumeTarget)}/update`);
    expect(page.status).toBe(200);
    expectConsoleFrame(page);
    expect(page.text).toContain("Authorize AWS Connector for GitHub");
    expect(buttons(page.text)).toEqual(["Connect", "Deny"]);
    expect(labelledControls(page.text)).toEqual({ installation: "GitHub App installation" });
    expect(buttonAttributes(page.text, "Deny")).toContain("formnovalidate");
  });

  it.each([
    ["Bitbucket", "Grant access", "Workspace"],
    ["GitLab", "Authorize AWS Connector for GitLab to use your account?", "Group"],
    ["AzureDevOps", "Authorize AWS Connector for Azure DevOps", "Organization"],
  ] as const)("imitates %s", async (provider, heading, label) => {
    const created = await connectionsClient(emulator).send(
      new CreateConnectionCommand({ ConnectionName: `new-${provider}`, ProviderType: provider as ProviderType }),
    );
    const uuid = (created.ConnectionArn ?? "").split("/").pop() ?? "";
    const page = await get(`${connectionPage({ account: "111111111111", region: "us-east-1", uuid }, "codestar-connections")}/update`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(heading);
    expect(labelledControls(page.text)).toEqual({ installation: label });
    expect(buttons(page.text)).toEqual(["Connect", "Deny"]);
  });

  it("imitates GitHub Enterprise Server on the host's endpoint", async () => {
    const pending = [...emulator.state.codeConnections.connections.values()].find((c) => c.name === "ghes-security-tools");
    const page = await get(`${connectionPage({ account: "111111111111", region: "us-east-1", uuid: pending?.uuid ?? "" })}/update`);
    expect(page.text).toContain("Authorize AWS Connector for GitHub Enterprise Server");
    expect(page.text).toContain("https://github.example.com");
    expect(buttons(page.text)).toEqual(["Connect", "Deny"]);
  });

  it("Connect makes the connection AVAILABLE and returns to the details page with a green message", async () => {
    const update = `${connectionPage(resumeTarget)}/update`;
    const done = await post(update, { installation: "tether-demo (installation 31415926)", outcome: "complete" });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${connectionPage(resumeTarget)}?flash=connected`);
    expect(await connectionStatus(resumeTarget.arn)).toBe("AVAILABLE");

    const details = await get(done.location ?? "");
    expect(details.text).toContain(`<div class="flash success" role="status">Connection ${resumeTarget.name} is now Available.</div>`);
    expect(details.text).toContain('<span class="status AVAILABLE">Available</span>');
    expect(buttons(details.text)).toEqual([]);

    // The same transition as the control API: a second handshake conflicts either way.
    expect((await post(update, { outcome: "deny" })).status).toBe(409);
    expect((await control(emulator, "POST", `/_emulator/connections/${resumeTarget.uuid}/handshake`, { outcome: "deny" })).status).toBe(409);
    expect((await get(update)).status).toBe(409);
    expect(await connectionStatus(resumeTarget.arn)).toBe("AVAILABLE");
  });

  it("Deny puts the connection in ERROR with a red message", async () => {
    const done = await post(`${connectionPage(denyTarget, "codestar-connections")}/update`, { outcome: "deny" });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${connectionPage(denyTarget, "codestar-connections")}?flash=denied`);
    expect(await connectionStatus(denyTarget.arn)).toBe("ERROR");
    const details = await get(done.location ?? "");
    expect(details.text).toContain('<div class="flash error" role="alert">Authorization was denied; the connection is in Error.</div>');
    expect(details.text).toContain('<span class="status ERROR">Error</span>');
  });

  it("shows a flash message only when the status agrees with it", async () => {
    const page = await get(`${connectionPage(resumeTarget)}?flash=connected`);
    expect(page.text).not.toContain("is now Available");
  });

  it("rejects a form without a valid outcome (400) and changes nothing", async () => {
    const page = await post(`${connectionPage(resumeTarget)}/update`, { outcome: "maybe" });
    expect(page.status).toBe(400);
    expect(await connectionStatus(resumeTarget.arn)).toBe("PENDING");
  });

  it("cannot complete a self-managed connection whose host is not AVAILABLE: set up the host first", async () => {
    const client = connectionsClient(emulator);
    const host = await client.send(
      new CreateHostCommand({ Name: "gitlab-lab", ProviderType: "GitLabSelfManaged", ProviderEndpoint: "https://gitlab.lab.example.com" }),
    );
    const hostId = (host.HostArn ?? "").split("/").pop() ?? "";
    await control(emulator, "POST", `/_emulator/hosts/${hostId}/setup`, { outcome: "complete" });
    const created = await client.send(new CreateConnectionCommand({ ConnectionName: "lab-gitlab-sm", HostArn: host.HostArn }));
    const uuid = (created.ConnectionArn ?? "").split("/").pop() ?? "";
    // Test hook: no API takes a host back to PENDING, so the state is edited in process.
    const record = emulator.state.codeConnections.hosts.get(hostId);
    if (record) record.status = "PENDING";

    const details = await get(connectionPage({ account: "111111111111", region: "us-east-1", uuid }));
    expect(details.text).toContain("Set up the host first");
    // The host link follows the host's own ARN prefix (created through the codestar-connections endpoint).
    expect(details.text).toContain(`href="/console/us-east-1/codesuite/settings/111111111111/us-east-1/codestar-connections/hosts/${hostId}"`);
    expect(buttons(details.text)).toEqual([]);
    const update = await get(`${connectionPage({ account: "111111111111", region: "us-east-1", uuid })}/update`);
    expect(update.text).toContain("Set up the host first");
    expect(buttons(update.text)).toEqual([]);
    const posted = await post(`${connectionPage({ account: "111111111111", region: "us-east-1", uuid })}/update`, { outcome: "complete" });
    expect(posted.status).toBe(409);
    expect((await control(emulator, "POST", `/_emulator/connections/${uuid}/handshake`, { outcome: "complete" })).status).toBe(409);
    expect(await connectionStatus(created.ConnectionArn ?? "")).toBe("PENDING");
  });
});

describe("hosts", () => {
  it("shows a PENDING host with Set up host, and an AVAILABLE one without", async () => {
    const page = await get(hostPage(pendingHost));
    expect(page.status).toBe(200);
    expectConsoleFrame(page);
    expect(page.text).toContain(pendingHost.arn);
    expect(page.text).toContain("https://github-staging.example.com");
    expect(page.text).toContain('<span class="status PENDING">Pending</span>');
    expect(buttons(page.text)).toEqual(["Set up host"]);
    expect(formAction(page.text, page.url)).toBe(`${hostPage(pendingHost)}/setup`);

    const available = await get(hostPage(availableHost, "codestar-connections"));
    expect(available.status).toBe(200);
    expect(buttons(available.text)).toEqual([]);
    expect(available.text).toContain("ghes-platform");
    expect((await get(hostPage({ ...pendingHost, region: "eu-west-1" }))).status).toBe(404);
    expect((await get(hostPage({ ...pendingHost, account: "222222222222" }))).status).toBe(404);
  });

  it("GHES setup: Create GitHub App, Complete setup → AVAILABLE with a green message", async () => {
    const setup = await get(`${hostPage(pendingHost)}/setup`);
    expect(setup.status).toBe(200);
    expect(setup.text).toContain("Create GitHub App");
    expect(labelledControls(setup.text)).toEqual({ appName: "GitHub App name" });
    expect(buttons(setup.text)).toEqual(["Complete setup", "Cancel"]);
    expect(buttonAttributes(setup.text, "Cancel")).toContain("formnovalidate");

    const done = await post(`${hostPage(pendingHost)}/setup`, { appName: "aws-connector-ghes-staging", outcome: "complete" });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${hostPage(pendingHost)}?flash=setup-complete`);
    const host = await connectionsClient(emulator).send(new GetHostCommand({ HostArn: pendingHost.arn }));
    expect(host.Status).toBe("AVAILABLE");
    const details = await get(done.location ?? "");
    expect(details.text).toContain(`<div class="flash success" role="status">Host ${pendingHost.name} is now Available.</div>`);
    expect(buttons(details.text)).toEqual([]);
    expect((await post(`${hostPage(pendingHost)}/setup`, { outcome: "complete" })).status).toBe(409);
  });

  it("Cancel leaves the host PENDING with the StatusMessage, like the control API's deny", async () => {
    const done = await post(`${hostPage(pendingHost)}/setup`, { outcome: "deny" });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${hostPage(pendingHost)}?flash=setup-cancelled`);
    const hosts = await connectionsClient(emulator).send(new ListHostsCommand({}));
    const host = hosts.Hosts?.find((h) => h.HostArn === pendingHost.arn);
    expect(host).toMatchObject({ Status: "PENDING", StatusMessage: "Host setup was not completed: access to the provider was denied." });
    const details = await get(done.location ?? "");
    expect(details.text).toContain(`<div class="flash error" role="alert">Host setup was not completed; host ${pendingHost.name} is still Pending.</div>`);
    expect(details.text).toContain("Host setup was not completed: access to the provider was denied.");
    expect(buttons(details.text)).toEqual(["Set up host"]);
  });

  it("GitLab self-managed setup requires a personal access token", async () => {
    const created = await connectionsClient(emulator).send(
      new CreateHostCommand({ Name: "gitlab-new", ProviderType: "GitLabSelfManaged", ProviderEndpoint: "https://gitlab.new.example.com" }),
    );
    const id = (created.HostArn ?? "").split("/").pop() ?? "";
    const url = `${hostPage({ account: "111111111111", region: "us-east-1", id }, "codestar-connections")}/setup`;
    const setup = await get(url);
    expect(labelledControls(setup.text)).toEqual({ personalAccessToken: "Personal access token" });
    expect(setup.text).toMatch(/<input id="personalAccessToken" name="personalAccessToken" type="password"[^>]* required/);
    expect(buttons(setup.text)).toEqual(["Complete setup", "Cancel"]);

    const missing = await post(url, { personalAccessToken: "  ", outcome: "complete" });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("Enter a personal access token.");
    expect((await connectionsClient(emulator).send(new GetHostCommand({ HostArn: created.HostArn }))).Status).toBe("PENDING");

    const done = await post(url, { personalAccessToken: "glpat-demo", outcome: "complete" });
    expect(done.status).toBe(303);
    expect((await connectionsClient(emulator).send(new GetHostCommand({ HostArn: created.HostArn }))).Status).toBe("AVAILABLE");
  });
});

describe("list pages", () => {
  it("lists every connection of every home Region and account whichever Region is selected, linking to their details", async () => {
    const lists = [
      await get(`${emulator.url}/console/us-east-1/codesuite/settings/connections?region=eu-west-1`),
      await get(`${emulator.url}/console/ap-southeast-2/codesuite/settings/connections`),
      await get(`${emulator.url}/console/us-east-1/codesuite/settings/connections`),
    ];
    const linksOf = (html: string) => [...html.matchAll(/href="([^"]*\/connections\/[^"]+)"/g)].map((m) => m[1] ?? "");
    for (const page of lists) {
      expect(page.status).toBe(200);
      expectConsoleFrame(page);
      expect(page.text).toContain("Connections (67) in every Region");
      expect(page.text).toContain("Connections are global resources");
      expect(page.text).toContain("the emulator has no sign-in, so this list shows every account of the fixture");
      expect(linksOf(page.text)).toEqual(linksOf(lists[0]?.text ?? ""));
    }
    const links = linksOf(lists[0]?.text ?? "");
    expect(links).toHaveLength(67);
    // Each links to its details page in its home Region's console.
    for (const link of links) {
      expect(link).toMatch(/^\/console\/([a-z0-9-]+)\/codesuite\/settings\/(111111111111|222222222222)\/\1\/(codeconnections|codestar-connections)\/connections\/[0-9a-f-]{36}$/);
    }
    const homes = links.map((l) => l.split("/")[2]);
    expect([...REGIONS, "us-west-2"].map((r) => homes.filter((h) => h === r).length)).toEqual([29, 20, 17, 1]);
    expect(links).toContain(`/console/us-east-1/codesuite/settings/111111111111/us-east-1/codeconnections/connections/${resumeTarget.uuid}`);
    expect(links).toContain(`/console/us-east-1/codesuite/settings/111111111111/us-east-1/codestar-connections/connections/${legacyPending.uuid}`);
    expect(lists[0]?.text).toMatch(/<th scope="col">Home Region<\/th>/);
    for (const link of [links[0], links.find((l) => l.includes("/eu-west-1/")), links.at(-1)]) {
      expect((await get(`${emulator.url}${link ?? ""}`)).status).toBe(200);
    }
  });

  it("shows a connection created through the API in every Region's list", async () => {
    const created = await connectionsClient(emulator, { region: "ap-southeast-2" }).send(
      new CreateConnectionCommand({ ConnectionName: "apac-new-github", ProviderType: "GitHub" }),
    );
    const uuid = (created.ConnectionArn ?? "").split("/").pop() ?? "";
    for (const region of REGIONS) {
      const page = await get(`${emulator.url}/console/${region}/codesuite/settings/connections`);
      expect(page.text).toContain("Connections (68) in every Region");
      expect(page.text).toContain(`href="/console/ap-southeast-2/codesuite/settings/111111111111/ap-southeast-2/codestar-connections/connections/${uuid}"`);
    }
  });

  it("lists hosts", async () => {
    const page = await get(`${emulator.url}/console/us-east-1/codesuite/settings/hosts?region=us-east-1`);
    expect(page.status).toBe(200);
    // Hosts are regional: the selected Region's only.
    expect(page.text).toContain("Hosts (4) in us-east-1");
    expect(page.text).toContain(`href="/console/us-east-1/codesuite/settings/111111111111/us-east-1/codeconnections/hosts/${pendingHost.id}"`);
    const eu = await get(`${emulator.url}/console/eu-west-1/codesuite/settings/hosts`);
    expect(eu.text).toContain("Hosts (1) in eu-west-1");
    expect(eu.text).toContain("gitlab-eu");
  });
});

describe("safety", () => {
  it("HTML-escapes names, tags and endpoints", async () => {
    const client = connectionsClient(emulator);
    const name = "<script>alert(1)</script>";
    const created = await client.send(new CreateConnectionCommand({ ConnectionName: name, ProviderType: "GitHub" }));
    await client.send(
      new TagResourceCommand({ ResourceArn: created.ConnectionArn, Tags: [{ Key: "x\"><img src=x onerror=alert(2)>", Value: "<b>&</b>" }] }),
    );
    const uuid = (created.ConnectionArn ?? "").split("/").pop() ?? "";
    const pages = [
      await get(connectionPage({ account: "111111111111", region: "us-east-1", uuid })),
      await get(`${connectionPage({ account: "111111111111", region: "us-east-1", uuid })}/update`),
      await get(`${emulator.url}/console/us-east-1/codesuite/settings/connections`),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(page.text).not.toContain("<script>");
    }
    expect(pages[0]?.text).toContain("x&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    expect(pages[0]?.text).toContain("&lt;b&gt;&amp;&lt;/b&gt;");
    expect(pages[0]?.text).not.toContain("<img");

    const host = await client.send(
      new CreateHostCommand({ Name: "<i>host</i>", ProviderType: "GitHubEnterpriseServer", ProviderEndpoint: "https://x.example.com/?a=<b>" }),
    );
    const hostId = (host.HostArn ?? "").split("/").pop() ?? "";
    const hostDetails = await get(hostPage({ account: "111111111111", region: "us-east-1", id: hostId }));
    expect(hostDetails.text).toContain("&lt;i&gt;host&lt;/i&gt;");
    expect(hostDetails.text).toContain("https://x.example.com/?a=&lt;b&gt;");
    expect(hostDetails.text).not.toContain("<i>host");

    const notFound = await get(`${emulator.url}/console/%3Cscript%3E/codesuite/settings/connections?region=%3Cscript%3E`);
    expect(notFound.text).not.toContain("<script>");
  });

  it("does not count console pages as AWS calls", async () => {
    await control(emulator, "POST", "/_emulator/stats/reset");
    await get(connectionPage(resumeTarget));
    await get(`${emulator.url}/console/us-east-1/codesuite/settings/connections`);
    await post(`${connectionPage(denyTarget)}/update`, { outcome: "deny" });
    expect((await control(emulator, "GET", "/_emulator/stats")).json).toEqual({ calls: {}, byScope: {} });
  });
});
