import { expect, test } from "vitest";
import { connectionGuidance, hostGuidance } from "./pending-guidance";
import { PROVIDERS } from "./types";

test("every provider has its own guidance; the right person per provider", () => {
  for (const p of PROVIDERS) expect(connectionGuidance(p, "PENDING").who).not.toMatch(/^Someone/);
  expect(connectionGuidance("GitHub", "PENDING").who).toMatch(/owner of the GitHub organization/);
  expect(connectionGuidance("Bitbucket", "PENDING").who).toMatch(/workspace admin/);
  expect(connectionGuidance("GitHubEnterpriseServer", "PENDING").who).toMatch(/host's admin/);
  expect(connectionGuidance("GitLabSelfManaged", "PENDING").who).toMatch(/host's admin/);
  expect(connectionGuidance("AzureDevOps", "PENDING").who).toMatch(/organization admin/);
  expect(connectionGuidance("GitHub", "ERROR").howTo).toMatch(/retries/);
  expect(hostGuidance("GitLabSelfManaged").howTo).toMatch(/personal access token/);
  expect(connectionGuidance("Gitea", "PENDING").who).toMatch(/^Someone/);
});
