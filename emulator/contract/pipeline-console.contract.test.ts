import { ListPipelineExecutionsCommand } from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CASES, DEMO_PIPELINE_CASES } from "../fixtures";
import type { RunningEmulator } from "../server";
import { request, type PageResponse } from "./browser";
import { codePipelineClient, control, startTestEmulator } from "./helpers";

/** The CodePipeline console pages at /console/{region}/codesuite/codepipeline/… */

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
});

const base = (region: string) => `/console/${region}/codesuite/codepipeline/pipelines`;
const viewPath = (c: { region: string; name: string }) => `${base(c.region)}/${c.name}/view?region=${c.region}`;
const timelinePath = (c: { region: string; name: string }, id: string) => `${base(c.region)}/${c.name}/executions/${id}/timeline?region=${c.region}`;

function get(path: string, method = "GET"): Promise<PageResponse> {
  return request(`${emulator.url}${path}`, { method });
}

/** The page's text without tags, whitespace collapsed. */
function text(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, " ");
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => (m[1] ?? "").replace(/&amp;/g, "&"));
}

async function newestExecutionId(c: { account: string; region: string; name: string }): Promise<string> {
  const out = await codePipelineClient(emulator, { region: c.region }).send(new ListPipelineExecutionsCommand({ pipelineName: c.name, maxResults: 1 }));
  return out.pipelineExecutionSummaries?.[0]?.pipelineExecutionId ?? "";
}

describe("pipeline view", () => {
  it("shows the details, the source action and its connection, the stages and recent executions", async () => {
    const c = DEMO_PIPELINE_CASES.healthyV2;
    const page = await get(viewPath(c));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const t = text(page.text);
    expect(t).toContain("AWS Console (Tether emulator)");
    expect(t).toContain("Developer Tools › CodePipeline › Pipelines › payments-api");
    expect(t).toContain(`ARN ${c.pipelineArn}`);
    expect(t).toContain("Pipeline type V2");
    expect(t).toContain("Version 3");
    expect(t).toContain(`Connection ${c.connectionName} · Available · Bitbucket`);
    expect(t).toContain(`Repository ${c.repository}`);
    expect(t).toContain("Branch main");
    expect(t).toContain("Push — branches: include main");
    expect(t).toMatch(/Execution history \(\d+ of \d+\)/);
    const links = hrefs(page.text);
    const uuid = c.connectionArn.split("/").pop() ?? "";
    expect(links).toContain(`/console/us-east-1/codesuite/settings/111111111111/us-east-1/codestar-connections/connections/${uuid}`);
    const newest = await newestExecutionId(c);
    expect(links).toContain(timelinePath(c, newest));
    // The history table (after its "Execution ID" header) starts with the newest execution.
    const history = page.text.slice(page.text.indexOf("Execution ID"));
    expect(history).not.toBe(page.text);
    expect(hrefs(history).find((h) => /\/executions\/[^/]+\/timeline/.test(h))).toBe(timelinePath(c, newest));
  });

  it("explains a connection written with the other prefix, and one that no longer exists", async () => {
    const legacy = text((await get(viewPath(DEMO_PIPELINE_CASES.legacyPrefixArn))).text);
    expect(legacy).toContain("The pipeline writes the connection's ARN with the codestar-connections prefix");
    const deleted = await get(viewPath(DEMO_PIPELINE_CASES.deletedConnection));
    expect(deleted.status).toBe(200);
    expect(text(deleted.text)).toMatch(/Connection Not found — no connection [0-9a-f-]{36} exists in account 111111111111 with home Region us-east-1 \(deleted\?\)/);
  });

  it("shows a connection of another home Region (connections are global), linking to its home Region's page", async () => {
    // web-frontend-eu (eu-west-1) switched to acme-web-github, created in us-east-1.
    const p = emulator.state.pipelines.get("111111111111", "eu-west-1", "web-frontend-eu");
    const config = p?.versions.at(-1)?.declaration.stages[0]?.actions[0]?.configuration;
    if (!config) throw new Error("fixture changed");
    config.ConnectionArn = DEMO_CASES.sharedConnection.arn;
    const page = await get(viewPath({ region: "eu-west-1", name: "web-frontend-eu" }));
    expect(text(page.text)).toContain(`Connection ${DEMO_CASES.sharedConnection.name} · Available · GitHub`);
    expect(hrefs(page.text)).toContain(
      `/console/us-east-1/codesuite/settings/111111111111/us-east-1/codeconnections/connections/${DEMO_CASES.sharedConnection.uuid}`,
    );
  });

  it("shows PENDING and ERROR connections and a V1 pipeline's lack of triggers", async () => {
    expect(text((await get(viewPath(DEMO_PIPELINE_CASES.onPendingConnection))).text)).toContain(
      `Connection ${DEMO_CASES.legacyPending.name} · Pending`,
    );
    expect(text((await get(viewPath(DEMO_PIPELINE_CASES.onErrorConnection))).text)).toContain(`Connection ${DEMO_CASES.errorConnection.name} · Error`);
    expect(text((await get(viewPath(DEMO_PIPELINE_CASES.healthyV1))).text)).toContain("V1 pipelines have no triggers");
  });

  it("offers a chooser when several accounts have a pipeline of that name in the region", async () => {
    const chooser = await get(`${base("us-east-1")}/platform-infra/view?region=us-east-1`);
    expect(chooser.status).toBe(200);
    expect(text(chooser.text)).toContain("Pipelines named platform-infra exist in 2 accounts in us-east-1");
    const links = hrefs(chooser.text).filter((h) => h.includes("/platform-infra/view"));
    expect(links).toEqual([
      `${base("us-east-1")}/platform-infra/view?region=us-east-1&account=111111111111`,
      `${base("us-east-1")}/platform-infra/view?region=us-east-1&account=222222222222`,
    ]);
    const chosen = await get(links[1] ?? "");
    expect(chosen.status).toBe(200);
    expect(text(chosen.text)).toContain("ARN arn:aws:codepipeline:us-east-1:222222222222:platform-infra");
    expect(text(chosen.text)).toContain("the emulator shows account 222222222222");
  });
});

describe("execution timeline", () => {
  it("shows each stage's run, with the failure of a Source stage and the stages that did not run", async () => {
    const c = DEMO_PIPELINE_CASES.onPendingConnection;
    const id = await newestExecutionId(c);
    const page = await get(timelinePath(c, id));
    expect(page.status).toBe(200);
    const t = text(page.text);
    expect(t).toContain(`Execution ${id}`);
    expect(t).toContain("Status Failed");
    expect(t).toContain("No source revision (the Source stage failed)");
    expect(t).toMatch(/Source Source Failed .* Unable to use Connection: .* PENDING state/);
    expect(t).toContain("Build Build Didn't run");
    expect(t).toContain("Deploy Deploy Didn't run");
    expect(hrefs(page.text)).toContain(viewPath(c));
  });

  it("shows a running execution in progress", async () => {
    const c = DEMO_PIPELINE_CASES.sharedA;
    const id = await newestExecutionId(c);
    const t = text((await get(timelinePath(c, id))).text);
    expect(t).toContain("Status In progress");
    expect(t).toMatch(/Source Source Succeeded .* [0-9a-f]{40}/);
    expect(t).toMatch(/Build Build In progress/);
    expect(t).toContain("Deploy Deploy Didn't run");
  });
});

describe("list and errors", () => {
  it("lists every account's pipelines of a region", async () => {
    const page = await get(`${base("us-east-1")}?region=us-east-1`);
    expect(page.status).toBe(200);
    expect(text(page.text)).toContain("Pipelines (27) in us-east-1");
    const eu = await get(`${base("us-east-1")}?region=eu-west-1`);
    expect(text(eu.text)).toContain("Pipelines (11) in eu-west-1");
  });

  it.each([
    ["an unknown pipeline", `${base("us-east-1")}/nope/view?region=us-east-1`],
    ["a pipeline of another region", `${base("eu-west-1")}/payments-api/view?region=eu-west-1`],
    ["an account without it", `${base("us-east-1")}/payments-api/view?region=us-east-1&account=222222222222`],
    ["an unknown execution", `${base("us-east-1")}/payments-api/executions/00000000-0000-4000-8000-000000000000/timeline?region=us-east-1`],
    ["an unknown page", `${base("us-east-1")}/payments-api/settings?region=us-east-1`],
    ["another codepipeline path", "/console/us-east-1/codesuite/codepipeline/settings"],
  ])("answers 404 for %s", async (_label, path) => {
    const page = await get(path);
    expect(page.status).toBe(404);
    expect(text(page.text)).toContain("Page not found");
    const region = path.includes("eu-west-1") ? "eu-west-1" : "us-east-1";
    expect(hrefs(page.text)).toContain(`${base(region)}?region=${region}`);
  });

  it("answers 405 to POST", async () => {
    const page = await get(viewPath(DEMO_PIPELINE_CASES.healthyV2), "POST");
    expect(page.status).toBe(405);
    expect(page.headers.get("allow")).toBe("GET");
  });
});
