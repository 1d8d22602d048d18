import {
  CreateConnectionCommand,
  CreateHostCommand,
  DeleteConnectionCommand,
  DeleteHostCommand,
  GetConnectionCommand,
  GetHostCommand,
  ListConnectionsCommand,
  ListHostsCommand,
  ListTagsForResourceCommand,
  paginateListConnections,
  paginateListHosts,
  TagResourceCommand,
  UntagResourceCommand,
  type CodeStarConnectionsClient,
  type Connection,
  type ProviderType,
} from "@aws-sdk/client-codestar-connections";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { REGIONS } from "../accounts";
import { connectionArn } from "../arns";
import { buildFixture, DEMO_CASES } from "../fixtures";
import type { RunningEmulator } from "../server";
import {
  codeConnectionsClient,
  connectionsClient,
  control,
  fakeAuthorization,
  gzip,
  rawJson,
  rejection,
  startTestEmulator,
  stsClient,
} from "./helpers";

const DEMO = buildFixture("demo");

let emulator: RunningEmulator;
let client: CodeStarConnectionsClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = connectionsClient(emulator);
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
});

async function listAll(c: CodeStarConnectionsClient, pageSize?: number, filter: Record<string, string> = {}) {
  const pages: { connections: Connection[]; nextToken?: string }[] = [];
  for await (const page of paginateListConnections({ client: c, ...(pageSize ? { pageSize } : {}) }, filter)) {
    pages.push({ connections: page.Connections ?? [], nextToken: page.NextToken });
  }
  return { pages, connections: pages.flatMap((p) => p.connections) };
}

const otherPrefix = (arn: string) =>
  arn.includes(":codeconnections:")
    ? arn.replace(":codeconnections:", ":codestar-connections:")
    : arn.replace(":codestar-connections:", ":codeconnections:");

/** The demo's connections of an account, in creation order (what every Region's listing must answer). */
function demoArnsOf(account: string): string[] {
  return DEMO.connections.filter((c) => c.account === account).map(connectionArn);
}

/** The demo connection of that account, home Region and name. */
function demoConnection(account: string, region: string, name: string): { arn: string; uuid: string } {
  const found = DEMO.connections.find((c) => c.account === account && c.region === region && c.name === name);
  if (!found) throw new Error(`no demo connection ${account}/${region}/${name}`);
  return { arn: connectionArn(found), uuid: found.uuid };
}

const regionOf = (arn: string | undefined) => arn?.split(":")[3];

describe("ListConnections", () => {
  it("lists every connection of the caller's account, of every home Region and both ARN prefixes, with the model's fields", async () => {
    const { connections } = await listAll(client);
    expect(connections).toHaveLength(37);
    expect(connections.every((c) => c.OwnerAccountId === "111111111111")).toBe(true);
    expect(connections.every((c) => /^arn:aws:(codestar-connections|codeconnections):(us-east-1|eu-west-1|ap-southeast-2|us-west-2):111111111111:connection\/[0-9a-f-]{36}$/.test(c.ConnectionArn ?? ""))).toBe(true);
    // Home Regions: 17 created in us-east-1, 10 in eu-west-1, 9 in ap-southeast-2, 1 in us-west-2.
    const homes = connections.map((c) => regionOf(c.ConnectionArn));
    expect([...REGIONS, "us-west-2"].map((r) => homes.filter((h) => h === r).length)).toEqual([17, 10, 9, 1]);
    for (const region of REGIONS) {
      const home = connections.filter((c) => regionOf(c.ConnectionArn) === region);
      expect(home.some((c) => c.ConnectionArn?.includes(":codestar-connections:")), region).toBe(true);
      expect(home.some((c) => c.ConnectionArn?.includes(":codeconnections:")), region).toBe(true);
    }
    const ghes = connections.find((c) => c.ConnectionName === DEMO_CASES.ghesConnection.name);
    expect(ghes).toMatchObject({ ProviderType: "GitHubEnterpriseServer", HostArn: DEMO_CASES.availableHost.arn });
    const github = connections.find((c) => c.ConnectionName === DEMO_CASES.sharedConnection.name);
    expect(github).toEqual({
      ConnectionName: "acme-web-github",
      ConnectionArn: DEMO_CASES.sharedConnection.arn,
      ProviderType: "GitHub",
      OwnerAccountId: "111111111111",
      ConnectionStatus: "AVAILABLE",
    });
  });

  it("answers the same connections in the same (creation) order in every Region, through both endpoints", async () => {
    const expected = demoArnsOf("111111111111");
    for (const region of REGIONS) {
      for (const c of [connectionsClient(emulator, { region }), codeConnectionsClient(emulator, { region })]) {
        expect((await listAll(c)).connections.map((x) => x.ConnectionArn)).toEqual(expected);
      }
    }
  });

  it.each([1, 7, 100])("pages with the SDK paginator at page size %i in a stable order", async (pageSize) => {
    const reference = (await listAll(client, 100)).connections.map((c) => c.ConnectionArn);
    const { pages, connections } = await listAll(client, pageSize);
    expect(connections.map((c) => c.ConnectionArn)).toEqual(reference);
    expect(pages).toHaveLength(Math.ceil(37 / pageSize));
    expect(pages.every((p) => p.connections.length <= pageSize)).toBe(true);
    expect(pages.slice(0, -1).every((p) => typeof p.nextToken === "string")).toBe(true);
    expect(pages.at(-1)?.nextToken).toBeUndefined();
  });

  it.each(REGIONS.flatMap((region) => [3, 4, 5].map((size) => [region, size] as const)))(
    "pages across home Regions in %s with MaxResults %i: no duplicates, no gaps",
    async (region, size) => {
      const { pages, connections } = await listAll(connectionsClient(emulator, { region }), size);
      const arns = connections.map((c) => c.ConnectionArn);
      expect(arns).toEqual(demoArnsOf("111111111111"));
      expect(new Set(arns).size).toBe(arns.length);
      expect(pages.slice(0, -1).every((p) => p.connections.length === size)).toBe(true);
      // Some page holds connections of two home Regions: the order does not restart per Region.
      expect(pages.some((p) => new Set(p.connections.map((c) => regionOf(c.ConnectionArn))).size > 1)).toBe(true);
    },
  );

  it("serves 100 per page when MaxResults is absent or 0; the large fixture's 750 per account in eight pages", async () => {
    await control(emulator, "POST", "/_emulator/seed", { fixture: "large" });
    const absent = await client.send(new ListConnectionsCommand({}));
    const zero = await client.send(new ListConnectionsCommand({ MaxResults: 0 }));
    expect(absent.Connections).toHaveLength(100);
    expect(zero.Connections).toHaveLength(100);
    const reference = (await listAll(client)).connections.map((c) => c.ConnectionArn);
    for (const region of REGIONS) {
      const { pages, connections } = await listAll(connectionsClient(emulator, { region }));
      expect(pages.map((p) => p.connections.length)).toEqual([100, 100, 100, 100, 100, 100, 100, 50]);
      const arns = connections.map((c) => c.ConnectionArn);
      expect(arns).toEqual(reference);
      expect(new Set(arns).size).toBe(750);
      expect(REGIONS.map((r) => arns.filter((a) => regionOf(a) === r).length)).toEqual([250, 250, 250]);
    }
  });

  it("keeps its place when connections are deleted between pages", async () => {
    const first = await client.send(new ListConnectionsCommand({ MaxResults: 5 }));
    await client.send(new DeleteConnectionCommand({ ConnectionArn: first.Connections?.[4]?.ConnectionArn }));
    const rest = await listAll(client);
    const second = await client.send(new ListConnectionsCommand({ MaxResults: 100, NextToken: first.NextToken }));
    expect(second.Connections?.map((c) => c.ConnectionArn)).toEqual(rest.connections.slice(4).map((c) => c.ConnectionArn));
  });

  it("shows a connection created in another Region between pages once, at the end", async () => {
    const eu = connectionsClient(emulator, { region: "eu-west-1" });
    const first = await eu.send(new ListConnectionsCommand({ MaxResults: 20 }));
    const created = await connectionsClient(emulator, { region: "ap-southeast-2" }).send(
      new CreateConnectionCommand({ ConnectionName: "between-pages", ProviderType: "GitHub" }),
    );
    const second = await eu.send(new ListConnectionsCommand({ MaxResults: 100, NextToken: first.NextToken }));
    const arns = [...(first.Connections ?? []), ...(second.Connections ?? [])].map((c) => c.ConnectionArn);
    expect(arns).toEqual([...demoArnsOf("111111111111"), created.ConnectionArn]);
    expect(second.NextToken).toBeUndefined();
  });

  it.each([-1, 101])("rejects MaxResults %i with ValidationException (400)", async (max) => {
    const err = await rejection(client.send(new ListConnectionsCommand({ MaxResults: max })));
    expect(err.name).toBe("ValidationException");
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toMatch(/at 'maxResults' failed to satisfy constraint/);
  });

  it("rejects a NextToken it did not issue with ValidationException", async () => {
    for (const token of ["garbage", Buffer.from('{"k":"hosts","a":3}').toString("base64url")]) {
      const err = await rejection(client.send(new ListConnectionsCommand({ NextToken: token })));
      expect(err.name).toBe("ValidationException");
      expect(err.$metadata.httpStatusCode).toBe(400);
    }
  });

  it("filters by provider type over every home Region, AzureDevOps included", async () => {
    for (const region of REGIONS) {
      const regional = connectionsClient(emulator, { region });
      const github = await listAll(regional, undefined, { ProviderTypeFilter: "GitHub" });
      expect(github.connections.length).toBe(17);
      expect(github.connections.every((c) => c.ProviderType === "GitHub")).toBe(true);
      expect(new Set(github.connections.map((c) => regionOf(c.ConnectionArn)))).toEqual(new Set([...REGIONS, "us-west-2"]));
      const ado = await listAll(regional, undefined, { ProviderTypeFilter: "AzureDevOps" as ProviderType });
      expect(ado.connections.map((c) => c.ConnectionName)).toEqual(["ado-legacy-erp", "reporting-ado", "crm-sync-ado", "tenders-ado"]);
    }
  });

  it("filters by host ARN given with either prefix", async () => {
    for (const arn of [DEMO_CASES.availableHost.arn, otherPrefix(DEMO_CASES.availableHost.arn)]) {
      const { connections } = await listAll(client, undefined, { HostArnFilter: arn });
      expect(connections.map((c) => c.ConnectionName)).toEqual(["ghes-platform", "ghes-security-tools"]);
    }
  });

  it("answers ResourceNotFoundException (404) for an unknown host filter, ValidationException for a bad one", async () => {
    const unknown = await rejection(
      client.send(new ListConnectionsCommand({ HostArnFilter: "arn:aws:codeconnections:us-east-1:111111111111:host/none-00000000" })),
    );
    expect([unknown.name, unknown.$metadata.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
    const bad = await rejection(client.send(new ListConnectionsCommand({ HostArnFilter: "not-an-arn" })));
    expect([bad.name, bad.$metadata.httpStatusCode]).toEqual(["ValidationException", 400]);
    const badType = await rejection(client.send(new ListConnectionsCommand({ ProviderTypeFilter: "Gitea" as ProviderType })));
    expect(badType.name).toBe("ValidationException");
    expect(badType.message).toContain("enum value set: [Bitbucket, GitHub, GitHubEnterpriseServer, GitLab, GitLabSelfManaged, AzureDevOps]");
  });
});

describe("connections are global, hosts are regional", () => {
  const euConnection = () => demoConnection("111111111111", "eu-west-1", "acme-web-eu-github");

  it("sees a connection created through a us-east-1 client from an ap-southeast-2 client (ListConnections and GetConnection)", async () => {
    const created = await codeConnectionsClient(emulator, { region: "us-east-1" }).send(
      new CreateConnectionCommand({ ConnectionName: "made-in-virginia", ProviderType: "Bitbucket" }),
    );
    expect(regionOf(created.ConnectionArn)).toBe("us-east-1");
    for (const apac of [connectionsClient(emulator, { region: "ap-southeast-2" }), codeConnectionsClient(emulator, { region: "ap-southeast-2" })]) {
      const listed = (await listAll(apac)).connections;
      expect(listed.at(-1)).toEqual({
        ConnectionName: "made-in-virginia",
        ConnectionArn: created.ConnectionArn,
        ProviderType: "Bitbucket",
        OwnerAccountId: "111111111111",
        ConnectionStatus: "PENDING",
      });
      const { Connection } = await apac.send(new GetConnectionCommand({ ConnectionArn: created.ConnectionArn }));
      expect(Connection).toEqual(listed.at(-1));
    }
  });

  it("gets, tags, lists tags, untags and deletes an eu-west-1 connection through an ap-southeast-2 client, by either prefix", async () => {
    const { arn } = euConnection();
    const apac = connectionsClient(emulator, { region: "ap-southeast-2" });
    const apacNew = codeConnectionsClient(emulator, { region: "ap-southeast-2" });
    for (const given of [arn, otherPrefix(arn)]) {
      const { Connection } = await apacNew.send(new GetConnectionCommand({ ConnectionArn: given }));
      expect(Connection).toMatchObject({ ConnectionName: "acme-web-eu-github", ConnectionArn: arn, ConnectionStatus: "AVAILABLE" });
    }
    await apac.send(new TagResourceCommand({ ResourceArn: otherPrefix(arn), Tags: [{ Key: "owner", Value: "apac-oncall" }] }));
    const eu = connectionsClient(emulator, { region: "eu-west-1" });
    expect((await eu.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toContainEqual({ Key: "owner", Value: "apac-oncall" });
    await apacNew.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["owner", "team"] }));
    const tags = (await apac.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags ?? [];
    expect(tags.map((t) => t.Key)).toEqual(["managed-by"]);
    await apacNew.send(new DeleteConnectionCommand({ ConnectionArn: arn }));
    for (const region of REGIONS) {
      const gone = await rejection(connectionsClient(emulator, { region }).send(new GetConnectionCommand({ ConnectionArn: arn })));
      expect([gone.name, gone.$metadata.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
      expect((await listAll(connectionsClient(emulator, { region }))).connections.map((c) => c.ConnectionArn)).not.toContain(arn);
    }
  });

  it("needs the ARN to name the connection's home Region and the caller's account (ResourceNotFoundException otherwise)", async () => {
    const { arn, uuid } = euConnection();
    const wrongRegion = arn.replace(":eu-west-1:", ":us-east-1:");
    expect(wrongRegion).toContain(uuid);
    for (const region of REGIONS) {
      const regional = connectionsClient(emulator, { region });
      for (const command of [
        new GetConnectionCommand({ ConnectionArn: wrongRegion }),
        new ListTagsForResourceCommand({ ResourceArn: wrongRegion }),
        new DeleteConnectionCommand({ ConnectionArn: wrongRegion }),
        new GetConnectionCommand({ ConnectionArn: DEMO_CASES.secondAccountConnection.arn }),
      ]) {
        const err = await rejection(regional.send(command as GetConnectionCommand));
        expect([err.name, err.$metadata.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
      }
    }
    expect((await client.send(new GetConnectionCommand({ ConnectionArn: arn }))).Connection?.ConnectionArn).toBe(arn);
  });

  it("keeps hosts regional: ListHosts, GetHost, DeleteHost and CreateConnection's HostArn see only the caller's Region", async () => {
    const hostsIn = async (region: string) => {
      const names: string[] = [];
      for await (const page of paginateListHosts({ client: connectionsClient(emulator, { region }) }, {})) {
        names.push(...(page.Hosts ?? []).map((h) => h.Name ?? ""));
      }
      return names;
    };
    expect(await hostsIn("us-east-1")).toEqual(["ghes-main", "gitlab-internal", "ghes-staging"]);
    expect(await hostsIn("eu-west-1")).toEqual([]);
    expect(await hostsIn("ap-southeast-2")).toEqual([]);

    const eu = connectionsClient(emulator, { region: "eu-west-1" });
    const host = DEMO_CASES.availableHost.arn;
    for (const command of [
      new GetHostCommand({ HostArn: host }),
      new DeleteHostCommand({ HostArn: DEMO_CASES.pendingHost.arn }),
      new CreateConnectionCommand({ ConnectionName: "ghes-from-eu", HostArn: host }),
      new ListConnectionsCommand({ HostArnFilter: host }),
      new ListTagsForResourceCommand({ ResourceArn: host }),
    ]) {
      const err = await rejection(eu.send(command as GetHostCommand));
      expect([err.name, err.$metadata.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
    }
    // …while the connections on that host are global and still carry its ARN.
    const { Connection } = await eu.send(new GetConnectionCommand({ ConnectionArn: DEMO_CASES.ghesConnection.arn }));
    expect(Connection).toMatchObject({ ConnectionName: "ghes-platform", HostArn: host });
    const listed = (await listAll(eu, undefined, { ProviderTypeFilter: "GitHubEnterpriseServer" })).connections;
    expect(listed.map((c) => [c.ConnectionName, c.HostArn])).toEqual([
      ["ghes-platform", host],
      ["ghes-security-tools", host],
    ]);
    expect((await client.send(new GetHostCommand({ HostArn: DEMO_CASES.pendingHost.arn }))).Status).toBe("PENDING");
  });

  it("filters by a host of the caller's Region in another account too (222222222222's eu-west-1 GitLab host)", async () => {
    const assumed = await stsClient(emulator).send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::222222222222:role/TetherReadOnly", RoleSessionName: "global-test" }),
    );
    const credentials = {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? "",
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? "",
      sessionToken: assumed.Credentials?.SessionToken,
    };
    const eu = connectionsClient(emulator, { region: "eu-west-1", credentials });
    const hosts = (await eu.send(new ListHostsCommand({}))).Hosts ?? [];
    expect(hosts.map((h) => h.Name)).toEqual(["gitlab-eu"]);
    const onHost = await listAll(eu, undefined, { HostArnFilter: hosts[0]?.HostArn ?? "" });
    expect(onHost.connections.map((c) => c.ConnectionName)).toEqual(["eu-gitlab-sm-core", "eu-gitlab-sm-ml"]);
    const us = connectionsClient(emulator, { region: "us-east-1", credentials });
    const fromUs = await rejection(us.send(new ListConnectionsCommand({ HostArnFilter: hosts[0]?.HostArn })));
    expect(fromUs.name).toBe("ResourceNotFoundException");
    expect((await listAll(us)).connections.map((c) => c.ConnectionArn)).toEqual(demoArnsOf("222222222222"));
  });

  it("applies a ListConnections fault on us-east-1 only to us-east-1's endpoint: eu-west-1 still lists the us-east-1 connections", async () => {
    await control(emulator, "POST", "/_emulator/stats/reset");
    const rule = await control(emulator, "POST", "/_emulator/faults", { region: "us-east-1", operation: "ListConnections", error: "ServiceUnavailable" });
    expect(rule.status).toBe(201);
    for (const c of [client, codeConnectionsClient(emulator)]) {
      const err = await rejection(c.send(new ListConnectionsCommand({})));
      expect([err.name, err.$metadata.httpStatusCode]).toEqual(["ServiceUnavailable", 503]);
    }
    const eu = (await listAll(connectionsClient(emulator, { region: "eu-west-1" }))).connections;
    expect(eu.map((c) => c.ConnectionArn)).toEqual(demoArnsOf("111111111111"));
    expect(eu.filter((c) => regionOf(c.ConnectionArn) === "us-east-1")).toHaveLength(17);
    // Other operations in us-east-1 are untouched.
    expect((await client.send(new GetConnectionCommand({ ConnectionArn: DEMO_CASES.sharedConnection.arn }))).Connection?.ConnectionStatus).toBe("AVAILABLE");
    const faults = (await control(emulator, "GET", "/_emulator/faults")).json.faults as { applied: number }[];
    expect(faults.map((f) => f.applied)).toEqual([2]);
    // Stats stay keyed by the caller's account and Region, not the listed connections' home Regions.
    const stats = await control(emulator, "GET", "/_emulator/stats");
    expect(stats.json.byScope).toEqual({
      "111111111111/us-east-1": { "codestar-connections": { ListConnections: 1, GetConnection: 1 }, codeconnections: { ListConnections: 1 } },
      "111111111111/eu-west-1": { "codestar-connections": { ListConnections: 1 } },
    });
  });
});

describe("GetConnection", () => {
  it("finds a connection by its ARN or by the same UUID under the other prefix", async () => {
    for (const arn of [DEMO_CASES.legacyPending.arn, otherPrefix(DEMO_CASES.legacyPending.arn)]) {
      const { Connection } = await client.send(new GetConnectionCommand({ ConnectionArn: arn }));
      expect(Connection).toEqual({
        ConnectionName: DEMO_CASES.legacyPending.name,
        ConnectionArn: DEMO_CASES.legacyPending.arn,
        ProviderType: "GitHub",
        OwnerAccountId: "111111111111",
        ConnectionStatus: "PENDING",
      });
    }
    expect(DEMO_CASES.legacyPending.arn).toContain(":codestar-connections:");
  });

  it("answers ResourceNotFoundException (404) for unknown ids, a Region that is not the home Region, another account and host ARNs", async () => {
    const arns = [
      "arn:aws:codeconnections:us-east-1:111111111111:connection/00000000-0000-4000-8000-000000000000",
      DEMO_CASES.sharedConnection.arn.replace("us-east-1", "eu-west-1"),
      DEMO_CASES.secondAccountConnection.arn,
      DEMO_CASES.availableHost.arn,
    ];
    for (const arn of arns) {
      const err = await rejection(client.send(new GetConnectionCommand({ ConnectionArn: arn })));
      expect([err.name, err.$metadata.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
    }
  });

  it("answers ValidationException for a missing or malformed ARN", async () => {
    const missing = await rejection(client.send(new GetConnectionCommand({ ConnectionArn: undefined })));
    expect(missing.name).toBe("ValidationException");
    expect(missing.message).toBe(
      "1 validation error detected: Value null at 'connectionArn' failed to satisfy constraint: Member must not be null",
    );
    const malformed = await rejection(client.send(new GetConnectionCommand({ ConnectionArn: "connection/123" })));
    expect([malformed.name, malformed.$metadata.httpStatusCode]).toEqual(["ValidationException", 400]);
  });
});

describe("CreateConnection", () => {
  it("creates a PENDING connection whose ARN prefix is the endpoint's", async () => {
    const legacy = await client.send(new CreateConnectionCommand({ ConnectionName: "new-legacy", ProviderType: "GitHub" }));
    expect(legacy.ConnectionArn).toMatch(/^arn:aws:codestar-connections:us-east-1:111111111111:connection\/[0-9a-f-]{36}$/);
    expect(legacy.Tags).toBeUndefined();
    const modern = await codeConnectionsClient(emulator).send(
      new CreateConnectionCommand({ ConnectionName: "new-modern", ProviderType: "Bitbucket", Tags: [{ Key: "team", Value: "platform" }] }),
    );
    expect(modern.ConnectionArn).toMatch(/^arn:aws:codeconnections:us-east-1:111111111111:connection\//);
    expect(modern.Tags).toEqual([{ Key: "team", Value: "platform" }]);
    const { Connection } = await client.send(new GetConnectionCommand({ ConnectionArn: modern.ConnectionArn }));
    expect(Connection).toMatchObject({ ConnectionName: "new-modern", ProviderType: "Bitbucket", ConnectionStatus: "PENDING" });
  });

  it("accepts AzureDevOps, which this SDK's enum lacks", async () => {
    const out = await client.send(new CreateConnectionCommand({ ConnectionName: "ado-new", ProviderType: "AzureDevOps" as ProviderType }));
    const { Connection } = await client.send(new GetConnectionCommand({ ConnectionArn: out.ConnectionArn }));
    expect(Connection?.ProviderType).toBe("AzureDevOps");
  });

  it("creates a self-managed connection on an AVAILABLE host, taking the host's provider", async () => {
    const out = await client.send(new CreateConnectionCommand({ ConnectionName: "ghes-new", HostArn: otherPrefix(DEMO_CASES.availableHost.arn) }));
    const { Connection } = await client.send(new GetConnectionCommand({ ConnectionArn: out.ConnectionArn }));
    expect(Connection).toMatchObject({ ProviderType: "GitHubEnterpriseServer", HostArn: DEMO_CASES.availableHost.arn, ConnectionStatus: "PENDING" });
  });

  it("refuses a PENDING host with ResourceUnavailableException (400) and an unknown one with ResourceNotFoundException (404)", async () => {
    const pending = await rejection(client.send(new CreateConnectionCommand({ ConnectionName: "x", HostArn: DEMO_CASES.pendingHost.arn })));
    expect([pending.name, pending.$metadata.httpStatusCode]).toEqual(["ResourceUnavailableException", 400]);
    const unknown = await rejection(
      client.send(new CreateConnectionCommand({ ConnectionName: "x", HostArn: "arn:aws:codeconnections:us-east-1:111111111111:host/gone-12345678" })),
    );
    expect([unknown.name, unknown.$metadata.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
  });

  it("needs exactly one of ProviderType or HostArn, and HostArn for self-managed providers (InvalidInputException 400)", async () => {
    const inputs = [
      { ConnectionName: "x" },
      { ConnectionName: "x", ProviderType: "GitHub" as const, HostArn: DEMO_CASES.availableHost.arn },
      { ConnectionName: "x", ProviderType: "GitHubEnterpriseServer" as const },
    ];
    for (const input of inputs) {
      const err = await rejection(client.send(new CreateConnectionCommand(input)));
      expect([err.name, err.$metadata.httpStatusCode]).toEqual(["InvalidInputException", 400]);
    }
  });

  it("validates the name (1–32 characters) and the tags, reporting every violation", async () => {
    const err = await rejection(
      client.send(
        new CreateConnectionCommand({ ConnectionName: "a".repeat(33), ProviderType: "GitHub", Tags: [{ Key: "", Value: "v" }] }),
      ),
    );
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(["ValidationException", 400]);
    expect(err.message).toBe(
      `2 validation errors detected: Value '${"a".repeat(33)}' at 'connectionName' failed to satisfy constraint: ` +
        "Member must have length less than or equal to 32; Value '' at 'tags.1.member.key' failed to satisfy " +
        "constraint: Member must have length greater than or equal to 1",
    );
    const empty = await rejection(client.send(new CreateConnectionCommand({ ConnectionName: "", ProviderType: "GitHub" })));
    expect(empty.name).toBe("ValidationException");
  });

  it("gives the new connection the caller's Region as its home Region", async () => {
    for (const region of REGIONS) {
      const out = await codeConnectionsClient(emulator, { region }).send(
        new CreateConnectionCommand({ ConnectionName: `home-${region}`, ProviderType: "GitHub" }),
      );
      expect(out.ConnectionArn).toMatch(new RegExp(`^arn:aws:codeconnections:${region}:111111111111:connection/[0-9a-f-]{36}$`));
    }
  });

  it("keeps names unique per account and home Region (ResourceAlreadyExistsException 409); another home Region may reuse one", async () => {
    const err = await rejection(client.send(new CreateConnectionCommand({ ConnectionName: "acme-web-github", ProviderType: "GitHub" })));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(["ResourceAlreadyExistsException", 409]);
    // acme-web-eu-github was created in eu-west-1: us-east-1 may have its own.
    const reused = await client.send(new CreateConnectionCommand({ ConnectionName: "acme-web-eu-github", ProviderType: "GitHub" }));
    expect(regionOf(reused.ConnectionArn)).toBe("us-east-1");
    const eu = connectionsClient(emulator, { region: "eu-west-1" });
    const twin = await eu.send(new CreateConnectionCommand({ ConnectionName: "acme-web-github", ProviderType: "Bitbucket" }));
    expect(regionOf(twin.ConnectionArn)).toBe("eu-west-1");
    const again = await rejection(eu.send(new CreateConnectionCommand({ ConnectionName: "acme-web-github", ProviderType: "GitHub" })));
    expect([again.name, again.$metadata.httpStatusCode]).toEqual(["ResourceAlreadyExistsException", 409]);
    // Every Region's listing now holds both same-named connections (terraform-provider-aws#34395):
    // only the ARN (its home Region) tells them apart.
    for (const region of REGIONS) {
      const named = (await listAll(connectionsClient(emulator, { region }))).connections.filter((c) => c.ConnectionName === "acme-web-github");
      expect(named.map((c) => [regionOf(c.ConnectionArn), c.ProviderType])).toEqual([
        ["us-east-1", "GitHub"],
        ["eu-west-1", "Bitbucket"],
      ]);
    }
    // Another account's names are its own.
    await expect(
      codeConnectionsClient(emulator, { region: "us-east-1" }).send(new CreateConnectionCommand({ ConnectionName: "platform-github", ProviderType: "GitHub" })),
    ).resolves.toBeDefined();
  });

  it("stops at 250 connections per account and home Region with LimitExceededException (429), counted per home Region", async () => {
    await control(emulator, "POST", "/_emulator/seed", { fixture: "large" });
    for (const region of REGIONS) {
      const err = await rejection(connectionsClient(emulator, { region }).send(new CreateConnectionCommand({ ConnectionName: "one-too-many", ProviderType: "GitHub" })));
      expect([err.name, err.$metadata.httpStatusCode]).toEqual(["LimitExceededException", 429]);
    }
    // Delete one eu-west-1 connection through a us-east-1 client: eu-west-1 has room again, us-east-1 does not.
    const euHomed = (await listAll(client)).connections.find((c) => regionOf(c.ConnectionArn) === "eu-west-1");
    await client.send(new DeleteConnectionCommand({ ConnectionArn: euHomed?.ConnectionArn }));
    const full = await rejection(client.send(new CreateConnectionCommand({ ConnectionName: "one-too-many", ProviderType: "GitHub" })));
    expect(full.name).toBe("LimitExceededException");
    const eu = connectionsClient(emulator, { region: "eu-west-1" });
    const created = await eu.send(new CreateConnectionCommand({ ConnectionName: "one-more", ProviderType: "GitHub" }));
    expect(regionOf(created.ConnectionArn)).toBe("eu-west-1");
    const again = await rejection(eu.send(new CreateConnectionCommand({ ConnectionName: "one-more-again", ProviderType: "GitHub" })));
    expect(again.name).toBe("LimitExceededException");
    expect((await listAll(connectionsClient(emulator, { region: "ap-southeast-2" }))).connections).toHaveLength(750);
  });

  it("is retried by the SDK's default retry strategy because of the 429 status", async () => {
    await control(emulator, "POST", "/_emulator/seed", { fixture: "large" });
    const retrying = connectionsClient(emulator, { maxAttempts: 3 });
    const err = await rejection(retrying.send(new CreateConnectionCommand({ ConnectionName: "one-too-many", ProviderType: "GitHub" })));
    expect(err.name).toBe("LimitExceededException");
    const stats = await control(emulator, "GET", "/_emulator/stats");
    expect(stats.json.calls).toEqual({ "codestar-connections": { CreateConnection: 3 } });
  });
});

describe("DeleteConnection", () => {
  it("deletes by either prefix; a second delete is ResourceNotFoundException", async () => {
    await client.send(new DeleteConnectionCommand({ ConnectionArn: otherPrefix(DEMO_CASES.errorConnection.arn) }));
    const get = await rejection(client.send(new GetConnectionCommand({ ConnectionArn: DEMO_CASES.errorConnection.arn })));
    expect(get.name).toBe("ResourceNotFoundException");
    const again = await rejection(client.send(new DeleteConnectionCommand({ ConnectionArn: DEMO_CASES.errorConnection.arn })));
    expect([again.name, again.$metadata.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
  });
});

describe("hosts", () => {
  it("lists hosts with pagination", async () => {
    const pages = [];
    for await (const page of paginateListHosts({ client, pageSize: 1 }, {})) pages.push(page);
    expect(pages.map((p) => p.Hosts?.[0]?.Name)).toEqual(["ghes-main", "gitlab-internal", "ghes-staging"]);
    expect(pages.at(-1)?.NextToken).toBeUndefined();
    expect(pages[2]?.Hosts?.[0]).toEqual({
      Name: "ghes-staging",
      HostArn: DEMO_CASES.pendingHost.arn,
      ProviderType: "GitHubEnterpriseServer",
      ProviderEndpoint: "https://github-staging.example.com",
      Status: "PENDING",
    });
  });

  it("GetHost answers the model's GetHostOutput: no HostArn, no StatusMessage", async () => {
    const out = await client.send(new GetHostCommand({ HostArn: otherPrefix(DEMO_CASES.availableHost.arn) }));
    expect(out).toMatchObject({ Name: "ghes-main", Status: "AVAILABLE", ProviderType: "GitHubEnterpriseServer", ProviderEndpoint: "https://github.example.com" });
    const raw = await rawJson(emulator, {
      target: "CodeStar_connections_20191201.GetHost",
      body: JSON.stringify({ HostArn: DEMO_CASES.availableHost.arn }),
    });
    expect(Object.keys(raw.json).sort()).toEqual(["Name", "ProviderEndpoint", "ProviderType", "Status"]);
  });

  it("creates PENDING hosts for self-managed providers only", async () => {
    const out = await codeConnectionsClient(emulator).send(
      new CreateHostCommand({
        Name: "ghes-new",
        ProviderType: "GitHubEnterpriseServer",
        ProviderEndpoint: "https://ghe.new.example.com",
        VpcConfiguration: { VpcId: "vpc-12345678", SubnetIds: ["subnet-12345678"], SecurityGroupIds: ["sg-12345678"] },
      }),
    );
    expect(out.HostArn).toMatch(/^arn:aws:codeconnections:us-east-1:111111111111:host\/ghes-new-[0-9a-f]{8}$/);
    const host = await client.send(new GetHostCommand({ HostArn: out.HostArn }));
    expect(host).toMatchObject({ Status: "PENDING", VpcConfiguration: { VpcId: "vpc-12345678" } });

    const github = await rejection(
      client.send(new CreateHostCommand({ Name: "h", ProviderType: "GitHub", ProviderEndpoint: "https://github.com" })),
    );
    expect([github.name, github.$metadata.httpStatusCode]).toEqual(["UnsupportedProviderTypeException", 400]);
    const endpoint = await rejection(
      client.send(new CreateHostCommand({ Name: "h", ProviderType: "GitLabSelfManaged", ProviderEndpoint: "gitlab" })),
    );
    expect([endpoint.name, endpoint.$metadata.httpStatusCode]).toEqual(["InvalidInputException", 400]);
    const vpc = await rejection(
      client.send(
        new CreateHostCommand({
          Name: "h",
          ProviderType: "GitLabSelfManaged",
          ProviderEndpoint: "https://gitlab.example.org",
          VpcConfiguration: { VpcId: "vpc-1", SubnetIds: [], SecurityGroupIds: ["sg-12345678"] },
        }),
      ),
    );
    expect(vpc.name).toBe("ValidationException");
    expect(vpc.message).toMatch(/^2 validation errors detected: .*vpcConfiguration\.vpcId.*vpcConfiguration\.subnetIds/);
  });

  it("stops at 50 hosts per account and region with LimitExceededException (429)", async () => {
    for (let i = 3; i < 50; i += 1) {
      await client.send(new CreateHostCommand({ Name: `h${i}`, ProviderType: "GitLabSelfManaged", ProviderEndpoint: "https://gitlab.example.org" }));
    }
    const err = await rejection(
      client.send(new CreateHostCommand({ Name: "h50", ProviderType: "GitLabSelfManaged", ProviderEndpoint: "https://gitlab.example.org" })),
    );
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(["LimitExceededException", 429]);
  });

  it("refuses to delete a host that connections use (ResourceUnavailableException 400), then deletes it", async () => {
    const err = await rejection(client.send(new DeleteHostCommand({ HostArn: DEMO_CASES.availableHost.arn })));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(["ResourceUnavailableException", 400]);
    for (const c of ["ghes-platform", "ghes-security-tools"]) {
      const { connections } = await listAll(client, undefined, { HostArnFilter: DEMO_CASES.availableHost.arn });
      const arn = connections.find((x) => x.ConnectionName === c)?.ConnectionArn;
      await client.send(new DeleteConnectionCommand({ ConnectionArn: arn }));
    }
    await client.send(new DeleteHostCommand({ HostArn: DEMO_CASES.availableHost.arn }));
    const gone = await rejection(client.send(new GetHostCommand({ HostArn: DEMO_CASES.availableHost.arn })));
    expect([gone.name, gone.$metadata.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
  });
});

describe("tags", () => {
  it("tags, lists and untags connections and hosts by either prefix", async () => {
    for (const arn of [DEMO_CASES.sharedConnection.arn, DEMO_CASES.pendingHost.arn]) {
      // Fixture resources come with `team` and `managed-by` tags.
      const seeded = (await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags ?? [];
      expect(seeded.map((t) => t.Key)).toEqual(["team", "managed-by"]);
      await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["team", "managed-by"] }));
      await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "team", Value: "web" }, { Key: "env", Value: "" }] }));
      await client.send(new TagResourceCommand({ ResourceArn: otherPrefix(arn), Tags: [{ Key: "team", Value: "platform" }] }));
      const listed = await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
      expect(listed.Tags).toEqual([{ Key: "team", Value: "platform" }, { Key: "env", Value: "" }]);
      await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["team", "absent"] }));
      expect((await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: "env", Value: "" }]);
    }
  });

  it("limits a resource to 200 tags", async () => {
    const tags = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${from + i}`, Value: "v" }));
    const arn = DEMO_CASES.sharedConnection.arn;
    const tooMany = await rejection(client.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags(0, 201) })));
    expect([tooMany.name, tooMany.$metadata.httpStatusCode]).toEqual(["ValidationException", 400]);
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags(0, 150) }));
    const over = await rejection(client.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags(150, 51) })));
    expect([over.name, over.$metadata.httpStatusCode]).toEqual(["LimitExceededException", 429]);
  });

  it("answers ResourceNotFoundException for an unknown resource", async () => {
    const arn = "arn:aws:codeconnections:us-east-1:111111111111:connection/00000000-0000-4000-8000-000000000000";
    for (const command of [
      new ListTagsForResourceCommand({ ResourceArn: arn }),
      new TagResourceCommand({ ResourceArn: arn, Tags: [] }),
      new UntagResourceCommand({ ResourceArn: arn, TagKeys: [] }),
    ]) {
      const err = await rejection(client.send(command as ListTagsForResourceCommand));
      expect([err.name, err.$metadata.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
    }
  });
});

describe("the CodeConnections endpoint", () => {
  it("serves the same store, both prefixes, and counts calls under codeconnections", async () => {
    await control(emulator, "POST", "/_emulator/stats/reset");
    const { connections } = await listAll(codeConnectionsClient(emulator));
    expect(connections.map((c) => c.ConnectionArn)).toEqual((await listAll(client)).connections.map((c) => c.ConnectionArn));
    const stats = await control(emulator, "GET", "/_emulator/stats");
    expect(stats.json.calls).toEqual({ codeconnections: { ListConnections: 1 }, "codestar-connections": { ListConnections: 1 } });
  });
});

describe("wire protocol", () => {
  it("routes botocore's long target forms on the text after the last dot", async () => {
    for (const [target, service] of [
      ["com.amazonaws.codestar.connections.CodeStar_connections_20191201.ListConnections", "codestar-connections"],
      ["com.amazonaws.codeconnections.CodeConnections_20231201.ListConnections", "codeconnections"],
    ] as const) {
      const res = await rawJson(emulator, { target, body: '{"MaxResults":2}', authorization: fakeAuthorization(service) });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/x-amz-json-1.0");
      expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
      expect((res.json.Connections as unknown[]).length).toBe(2);
      expect(typeof res.json.NextToken).toBe("string");
    }
  });

  it("answers UnknownOperationException (400) for an unknown operation or target", async () => {
    for (const target of ["CodeStar_connections_20191201.ListPipelines", "Nope_20200101.ListConnections", "NoDot"]) {
      const res = await rawJson(emulator, { target });
      expect(res.status).toBe(400);
      expect(res.json.__type).toBe("UnknownOperationException");
    }
  });

  it("refuses a request without Authorization: MissingAuthenticationTokenException (403)", async () => {
    const res = await rawJson(emulator, { target: "CodeStar_connections_20191201.ListConnections", authorization: null });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ __type: "MissingAuthenticationTokenException", Message: "Request is missing Authentication Token" });
  });

  it("refuses a malformed Authorization header: IncompleteSignatureException (403)", async () => {
    for (const authorization of ["AWS4-HMAC-SHA256 Credential=x/2026/us-east-1", "Bearer abc", "AWS4-HMAC-SHA256 Credential=x/20261125/us-east-1/codestar-connections/aws4_request"]) {
      const res = await rawJson(emulator, { target: "CodeStar_connections_20191201.ListConnections", authorization });
      expect(res.status).toBe(403);
      expect(res.json.__type).toBe("IncompleteSignatureException");
    }
  });

  it("refuses a credential scoped to another service: InvalidSignatureException (403)", async () => {
    const res = await rawJson(emulator, { target: "CodeStar_connections_20191201.ListConnections", authorization: fakeAuthorization("sts") });
    expect(res.status).toBe(403);
    expect(res.json.__type).toBe("InvalidSignatureException");
  });

  it("answers SerializationException (400) for a body that is not a JSON object or a member of the wrong type", async () => {
    for (const body of ["{not json", "[1]", '{"MaxResults":"5"}']) {
      const res = await rawJson(emulator, { target: "CodeStar_connections_20191201.ListConnections", body });
      expect(res.status).toBe(400);
      expect(res.json.__type).toBe("SerializationException");
    }
  });

  it("accepts a gzip-compressed body", async () => {
    const res = await rawJson(emulator, {
      target: "CodeStar_connections_20191201.ListConnections",
      body: gzip('{"MaxResults":3}'),
      headers: { "content-encoding": "gzip" },
    });
    expect(res.status).toBe(200);
    expect((res.json.Connections as unknown[]).length).toBe(3);
  });
});
