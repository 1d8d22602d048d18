import {
  CreateConnectionCommand,
  CreateHostCommand,
  DeleteConnectionCommand,
  DeleteHostCommand,
  GetConnectionCommand,
  GetHostCommand,
  ListConnectionsCommand,
  ListTagsForResourceCommand,
  paginateListConnections,
  paginateListHosts,
  TagResourceCommand,
  UntagResourceCommand,
  type CodeStarConnectionsClient,
  type Connection,
  type ProviderType,
} from "@aws-sdk/client-codestar-connections";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CASES } from "../fixtures";
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
} from "./helpers";

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

describe("ListConnections", () => {
  it("lists both ARN prefixes of the caller's scope with the model's fields", async () => {
    const { connections } = await listAll(client);
    expect(connections).toHaveLength(17);
    expect(connections.every((c) => c.OwnerAccountId === "111111111111")).toBe(true);
    expect(connections.every((c) => /^arn:aws:(codestar-connections|codeconnections):us-east-1:111111111111:connection\/[0-9a-f-]{36}$/.test(c.ConnectionArn ?? ""))).toBe(true);
    expect(connections.some((c) => c.ConnectionArn?.includes(":codestar-connections:"))).toBe(true);
    expect(connections.some((c) => c.ConnectionArn?.includes(":codeconnections:"))).toBe(true);
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

  it("is scoped by the region of the credential scope", async () => {
    const eu = connectionsClient(emulator, { region: "eu-west-1" });
    const { connections } = await listAll(eu);
    expect(connections).toHaveLength(10);
    expect(connections.every((c) => c.ConnectionArn?.split(":")[3] === "eu-west-1")).toBe(true);
  });

  it.each([1, 7, 100])("pages with the SDK paginator at page size %i in a stable order", async (pageSize) => {
    const reference = (await listAll(client, 100)).connections.map((c) => c.ConnectionArn);
    const { pages, connections } = await listAll(client, pageSize);
    expect(connections.map((c) => c.ConnectionArn)).toEqual(reference);
    expect(pages).toHaveLength(Math.ceil(17 / pageSize));
    expect(pages.every((p) => p.connections.length <= pageSize)).toBe(true);
    expect(pages.slice(0, -1).every((p) => typeof p.nextToken === "string")).toBe(true);
    expect(pages.at(-1)?.nextToken).toBeUndefined();
  });

  it("serves 100 per page when MaxResults is absent or 0, and 250 in three pages", async () => {
    await control(emulator, "POST", "/_emulator/seed", { fixture: "large" });
    const absent = await client.send(new ListConnectionsCommand({}));
    const zero = await client.send(new ListConnectionsCommand({ MaxResults: 0 }));
    expect(absent.Connections).toHaveLength(100);
    expect(zero.Connections).toHaveLength(100);
    const { pages, connections } = await listAll(client);
    expect(pages.map((p) => p.connections.length)).toEqual([100, 100, 50]);
    expect(new Set(connections.map((c) => c.ConnectionArn)).size).toBe(250);
  });

  it("keeps its place when connections are deleted between pages", async () => {
    const first = await client.send(new ListConnectionsCommand({ MaxResults: 5 }));
    await client.send(new DeleteConnectionCommand({ ConnectionArn: first.Connections?.[4]?.ConnectionArn }));
    const rest = await listAll(client);
    const second = await client.send(new ListConnectionsCommand({ MaxResults: 100, NextToken: first.NextToken }));
    expect(second.Connections?.map((c) => c.ConnectionArn)).toEqual(rest.connections.slice(4).map((c) => c.ConnectionArn));
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

  it("filters by provider type, AzureDevOps included", async () => {
    const github = await listAll(client, undefined, { ProviderTypeFilter: "GitHub" });
    expect(github.connections.length).toBe(8);
    expect(github.connections.every((c) => c.ProviderType === "GitHub")).toBe(true);
    const ado = await listAll(client, undefined, { ProviderTypeFilter: "AzureDevOps" as ProviderType });
    expect(ado.connections.map((c) => c.ConnectionName)).toEqual(["ado-legacy-erp", "reporting-ado"]);
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

  it("answers ResourceNotFoundException (404) for unknown ids, other regions and host ARNs", async () => {
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

  it("keeps names unique per account and region (ResourceAlreadyExistsException 409)", async () => {
    const err = await rejection(client.send(new CreateConnectionCommand({ ConnectionName: "acme-web-github", ProviderType: "GitHub" })));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(["ResourceAlreadyExistsException", 409]);
    const eu = connectionsClient(emulator, { region: "eu-west-1" });
    await expect(eu.send(new CreateConnectionCommand({ ConnectionName: "acme-web-github", ProviderType: "GitHub" }))).resolves.toBeDefined();
  });

  it("stops at 250 connections per account and region with LimitExceededException (429)", async () => {
    await control(emulator, "POST", "/_emulator/seed", { fixture: "large" });
    const err = await rejection(client.send(new CreateConnectionCommand({ ConnectionName: "one-too-many", ProviderType: "GitHub" })));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(["LimitExceededException", 429]);
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
