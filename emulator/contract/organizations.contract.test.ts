import { ListRegionsCommand, paginateListRegions, type Region, type RegionOptStatus } from "@aws-sdk/client-account";
import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  type Account,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, type Credentials } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { ORG_CASES } from "../fixtures";
import type { RunningEmulator } from "../server";
import {
  accountClient,
  control,
  fakeAuthorization,
  organizationsClient,
  rawJson,
  rejection,
  startTestEmulator,
  stsClient,
} from "./helpers";

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator("org");
}, 30_000);
afterAll(() => emulator.close());

/** Seeding `org` takes a moment: tests that change nothing share one seed; the others reseed after. */
async function reseed(): Promise<void> {
  const seeded = await control(emulator, "POST", "/_emulator/seed", { fixture: "org" });
  expect(seeded.status).toBe(200);
}

function asCredentials(c: Credentials | undefined) {
  return { accessKeyId: c?.AccessKeyId ?? "", secretAccessKey: c?.SecretAccessKey ?? "", sessionToken: c?.SessionToken };
}

async function assumeIn(account: string, role = "TetherReadOnly") {
  const out = await stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${role}`, RoleSessionName: "tether" }));
  return asCredentials(out.Credentials);
}

async function allAccounts(client = organizationsClient(emulator), pageSize?: number): Promise<{ accounts: Account[]; pages: number }> {
  const accounts: Account[] = [];
  let pages = 0;
  for await (const page of paginateListAccounts({ client, ...(pageSize ? { pageSize } : {}) }, {})) {
    pages++;
    accounts.push(...(page.Accounts ?? []));
  }
  return { accounts, pages };
}

const ACCOUNT_ARN = /^arn:aws:organizations::111111111111:account\/o-[a-z0-9]{10,32}\/\d{12}$/;

describe("Organizations: the org fixture's organization, as its management account sees it", () => {
  it("DescribeOrganization names the management account and the ARNs AWS builds", async () => {
    const out = await organizationsClient(emulator).send(new DescribeOrganizationCommand({}));
    expect(out.Organization).toMatchObject({
      Id: ORG_CASES.organizationId,
      Arn: `arn:aws:organizations::111111111111:organization/${ORG_CASES.organizationId}`,
      FeatureSet: "ALL",
      MasterAccountId: "111111111111",
      MasterAccountArn: `arn:aws:organizations::111111111111:account/${ORG_CASES.organizationId}/111111111111`,
      MasterAccountEmail: "aws+management@acme.example",
    });
    expect(out.Organization?.Id).toMatch(/^o-[a-z0-9]{10,32}$/);
  });

  it("paginateListAccounts walks 101 accounts in pages of at most 20 (the model's maximum), management first", async () => {
    const { accounts, pages } = await allAccounts();
    expect(accounts).toHaveLength(101);
    expect(pages).toBe(6);
    expect(accounts[0]).toMatchObject({ Id: "111111111111", Name: "acme-management", State: "ACTIVE", Status: "ACTIVE" });
    expect(new Set(accounts.map((a) => a.Id)).size).toBe(101);
    for (const a of accounts) {
      expect(a.Arn).toMatch(ACCOUNT_ARN);
      expect(a.Arn?.endsWith(`/${a.Id}`)).toBe(true);
      expect(a.Email).toMatch(/^aws\+[a-z0-9-]+@acme\.example$/);
      expect(a.JoinedTimestamp).toBeInstanceOf(Date);
      expect(["INVITED", "CREATED"]).toContain(a.JoinedMethod);
    }
    const suspended = accounts.find((a) => a.Id === ORG_CASES.suspended);
    const closed = accounts.find((a) => a.Id === ORG_CASES.closed);
    // State is the field to read; the older Status says SUSPENDED for a CLOSED account.
    expect(suspended).toMatchObject({ Name: "sandbox-alice", State: "SUSPENDED", Status: "SUSPENDED" });
    expect(closed).toMatchObject({ Name: "sandbox-bob", State: "CLOSED", Status: "SUSPENDED" });
    expect(accounts.filter((a) => a.State === "ACTIVE")).toHaveLength(99);
  });

  it("a smaller MaxResults gives smaller pages; NextToken is absent on the last one", async () => {
    const client = organizationsClient(emulator);
    const first = await client.send(new ListAccountsCommand({ MaxResults: 7 }));
    expect(first.Accounts).toHaveLength(7);
    expect(first.NextToken).toBeTruthy();
    const { pages } = await allAccounts(client, 7);
    expect(pages).toBe(15);
    const platform = await client.send(new ListAccountsForParentCommand({ ParentId: ORG_CASES.ous.Platform, MaxResults: 3 }));
    expect(platform.Accounts).toHaveLength(3);
    expect(platform.NextToken).toBeUndefined();
  });

  it("ListRoots, ListOrganizationalUnitsForParent and ListAccountsForParent give the tree: root → Platform 3, Workloads 95, Sandbox 2", async () => {
    const client = organizationsClient(emulator);
    const roots = await client.send(new ListRootsCommand({}));
    expect(roots.Roots).toEqual([
      {
        Id: ORG_CASES.rootId,
        Arn: `arn:aws:organizations::111111111111:root/${ORG_CASES.organizationId}/${ORG_CASES.rootId}`,
        Name: "Root",
        PolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
      },
    ]);
    const ous = [];
    for await (const page of paginateListOrganizationalUnitsForParent({ client, pageSize: 2 }, { ParentId: ORG_CASES.rootId })) {
      ous.push(...(page.OrganizationalUnits ?? []));
    }
    expect(ous.map((o) => o.Name)).toEqual(["Platform", "Workloads", "Sandbox"]);
    for (const ou of ous) {
      expect(ou.Id).toMatch(new RegExp(`^ou-${ORG_CASES.rootId.slice(2)}-[a-z0-9]{8}$`));
      expect(ou.Arn).toBe(`arn:aws:organizations::111111111111:ou/${ORG_CASES.organizationId}/${ou.Id}`);
    }
    const under = async (parentId: string) => {
      const ids: string[] = [];
      for await (const page of paginateListAccountsForParent({ client }, { ParentId: parentId })) ids.push(...(page.Accounts ?? []).map((a) => a.Id ?? ""));
      return ids;
    };
    expect(await under(ORG_CASES.ous.Platform)).toEqual([...ORG_CASES.platform]);
    expect(await under(ORG_CASES.ous.Workloads)).toEqual([...ORG_CASES.workloads]);
    expect(await under(ORG_CASES.ous.Sandbox)).toEqual([ORG_CASES.suspended, ORG_CASES.closed]);
    expect(await under(ORG_CASES.rootId)).toEqual(["111111111111"]);
    const nested = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: ORG_CASES.ous.Workloads }));
    expect(nested.OrganizationalUnits).toEqual([]);
  });

  it("DescribeAccount answers one account; an unknown one is AccountNotFoundException", async () => {
    const client = organizationsClient(emulator);
    const out = await client.send(new DescribeAccountCommand({ AccountId: ORG_CASES.delegatedAdministrator }));
    expect(out.Account).toMatchObject({ Id: ORG_CASES.delegatedAdministrator, Name: "platform-tooling", State: "ACTIVE", JoinedMethod: "CREATED" });
    const err = await rejection(client.send(new DescribeAccountCommand({ AccountId: "999999999999" })));
    expect(err.name).toBe("AccountNotFoundException");
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it("bad input is InvalidInputException (400) with the model's Reason; a well-formed unknown parent is ParentNotFoundException", async () => {
    const client = organizationsClient(emulator);
    const cases: [Promise<unknown>, string][] = [
      [client.send(new ListAccountsCommand({ MaxResults: 21 })), "MAX_VALUE_EXCEEDED"],
      [client.send(new ListAccountsCommand({ MaxResults: 0 })), "MIN_VALUE_EXCEEDED"],
      [client.send(new ListAccountsCommand({ NextToken: "not-a-token" })), "INVALID_NEXT_TOKEN"],
      [client.send(new ListAccountsForParentCommand({ ParentId: "ou-nope" })), "INVALID_PATTERN"],
      [client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: undefined as unknown as string })), "INPUT_REQUIRED"],
    ];
    for (const [call, reason] of cases) {
      const err = (await rejection(call)) as Error & { Reason?: string; $metadata: { httpStatusCode?: number } };
      expect(err.name).toBe("InvalidInputException");
      expect(err.Reason).toBe(reason);
      expect(err.$metadata.httpStatusCode).toBe(400);
    }
    // A token is bound to its listing: ListAccounts' token means nothing to ListAccountsForParent.
    const first = await client.send(new ListAccountsCommand({ MaxResults: 1 }));
    const reused = (await rejection(
      client.send(new ListAccountsForParentCommand({ ParentId: ORG_CASES.ous.Workloads, NextToken: first.NextToken })),
    )) as Error & { Reason?: string };
    expect(reused.Reason).toBe("INVALID_NEXT_TOKEN");
    const missing = await rejection(client.send(new ListAccountsForParentCommand({ ParentId: `ou-${ORG_CASES.rootId.slice(2)}-00000000` })));
    expect(missing.name).toBe("ParentNotFoundException");
    expect(missing.message).toBe("We can't find a root or OU with the ParentId that you specified.");
  });

  it("answers through any Region's endpoint (the SDKs sign their configured Region against a custom endpoint) and counts under signing name organizations", async () => {
    await control(emulator, "POST", "/_emulator/stats/reset");
    const out = await organizationsClient(emulator, { region: "eu-west-1" }).send(new ListRootsCommand({}));
    expect(out.Roots).toHaveLength(1);
    const stats = await control(emulator, "GET", "/_emulator/stats");
    expect(stats.json.byScope).toEqual({ "111111111111/eu-west-1": { organizations: { ListRoots: 1 } } });
  });
});

describe("Organizations: who may call", () => {
  it("a member account may describe the organization but not list it (AccessDeniedException, 400)", async () => {
    const credentials = await assumeIn(ORG_CASES.workloads[0] ?? "");
    const client = organizationsClient(emulator, { credentials });
    const org = await client.send(new DescribeOrganizationCommand({}));
    expect(org.Organization?.MasterAccountId).toBe("111111111111");
    for (const call of [
      client.send(new ListAccountsCommand({})),
      client.send(new ListRootsCommand({})),
      client.send(new ListAccountsForParentCommand({ ParentId: ORG_CASES.ous.Platform })),
      client.send(new DescribeAccountCommand({ AccountId: "111111111111" })),
    ]) {
      const err = await rejection(call);
      expect(err.name).toBe("AccessDeniedException");
      expect(err.message).toBe("You don't have permissions to access this resource.");
      expect(err.$metadata.httpStatusCode).toBe(400);
    }
  });

  it("the delegated administrator (platform-tooling) may list the organization", async () => {
    const credentials = await assumeIn(ORG_CASES.delegatedAdministrator);
    const { accounts } = await allAccounts(organizationsClient(emulator, { credentials }));
    expect(accounts).toHaveLength(101);
  });

  it("AssumeRole: TetherReadOnly exists in every active member, no other role but OrganizationAccountAccessRole; suspended and closed accounts cannot be entered", async () => {
    for (const account of [...ORG_CASES.platform, ...ORG_CASES.workloads.slice(0, 5)]) await assumeIn(account);
    await assumeIn(ORG_CASES.workloads[1] ?? "", "OrganizationAccountAccessRole");
    for (const [account, role] of [
      [ORG_CASES.workloads[0] ?? "", "SomeOtherRole"],
      [ORG_CASES.suspended, "TetherReadOnly"],
      [ORG_CASES.closed, "OrganizationAccountAccessRole"],
    ] as const) {
      const err = await rejection(assumeIn(account, role));
      expect(err.name).toBe("AccessDenied");
      expect(err.$metadata.httpStatusCode).toBe(403);
    }
    // The management account keeps the emulator's rule for fixture accounts: any role name.
    await assumeIn("111111111111", "AnyRoleAtAll");
  });

  it("throttling faults answer TooManyRequestsException (400, as the model has no status for it), which the SDK retries", async () => {
    onTestFinished(async () => {
      await control(emulator, "DELETE", "/_emulator/faults");
    });
    const rule = await control(emulator, "POST", "/_emulator/faults", {
      service: "organizations",
      operation: "ListAccounts",
      error: "ThrottlingException",
      count: 1,
    });
    expect(rule.status).toBe(201);
    const retried = await organizationsClient(emulator, { maxAttempts: 2 }).send(new ListAccountsCommand({ MaxResults: 1 }));
    expect(retried.Accounts).toHaveLength(1);
    await control(emulator, "POST", "/_emulator/faults", { service: "organizations", operation: "ListAccounts", error: "ThrottlingException", count: 1 });
    const err = await rejection(organizationsClient(emulator).send(new ListAccountsCommand({})));
    expect(err.name).toBe("TooManyRequestsException");
    expect(err.$metadata.httpStatusCode).toBe(400);
    await control(emulator, "DELETE", "/_emulator/faults");
  });

  it("on the wire: AWS JSON 1.1 as botocore sends it (unsigned → 403; signed → epoch-second timestamps)", async () => {
    const unsigned = await rawJson(emulator, {
      target: "AWSOrganizationsV20161128.ListAccounts",
      headers: { "content-type": "application/x-amz-json-1.1" },
      authorization: null,
    });
    expect(unsigned.status).toBe(403);
    expect(unsigned.json.__type).toBe("MissingAuthenticationTokenException");
    const signed = await rawJson(emulator, {
      target: "AWSOrganizationsV20161128.ListAccounts",
      headers: { "content-type": "application/x-amz-json-1.1" },
      authorization: fakeAuthorization("organizations"),
      body: '{"MaxResults": 2}',
    });
    expect(signed.status).toBe(200);
    expect(signed.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    const accounts = signed.json.Accounts as Record<string, unknown>[];
    expect(accounts).toHaveLength(2);
    expect(typeof accounts[0]?.JoinedTimestamp).toBe("number");
    const bad = await rawJson(emulator, {
      target: "AWSOrganizationsV20161128.ListAccounts",
      headers: { "content-type": "application/x-amz-json-1.1" },
      authorization: fakeAuthorization("organizations"),
      body: '{"MaxResults": 50}',
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ __type: "InvalidInputException", Reason: "MAX_VALUE_EXCEEDED" });
    expect(bad.headers.get("x-amzn-errortype")).toBe("InvalidInputException");
  });
});

describe("Account Management ListRegions (REST-JSON)", () => {
  async function regions(client = accountClient(emulator), input: { AccountId?: string; RegionOptStatusContains?: RegionOptStatus[] } = {}, pageSize?: number) {
    const out: Region[] = [];
    let pages = 0;
    for await (const page of paginateListRegions({ client, ...(pageSize ? { pageSize } : {}) }, input)) {
      pages++;
      out.push(...(page.Regions ?? []));
    }
    return { regions: out, pages };
  }

  it("the caller's own account without AccountId: two default Regions, its opt-in, the other opt-ins DISABLED, sorted by name", async () => {
    const { regions: list, pages } = await regions(accountClient(emulator), {}, 2);
    expect(pages).toBe(3);
    expect(list).toEqual([
      { RegionName: "ap-southeast-4", RegionOptStatus: "DISABLED" },
      { RegionName: "ca-west-1", RegionOptStatus: "DISABLED" },
      { RegionName: "eu-central-2", RegionOptStatus: "ENABLED" },
      { RegionName: "eu-west-1", RegionOptStatus: "ENABLED_BY_DEFAULT" },
      { RegionName: "me-central-1", RegionOptStatus: "DISABLED" },
      { RegionName: "us-east-1", RegionOptStatus: "ENABLED_BY_DEFAULT" },
    ]);
  });

  it("the management account names a member: that member's Regions; RegionOptStatusContains filters", async () => {
    const { account, region } = ORG_CASES.enablingRegion;
    const all = await regions(accountClient(emulator), { AccountId: account });
    expect(all.regions.find((r) => r.RegionName === region)?.RegionOptStatus).toBe("ENABLING");
    const enabled = await regions(accountClient(emulator), { AccountId: account, RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"] });
    expect(enabled.regions).toHaveLength(3);
    for (const member of [...ORG_CASES.platform, ...ORG_CASES.workloads]) {
      const out = await accountClient(emulator).send(new ListRegionsCommand({ AccountId: member, RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"] }));
      const names = out.Regions?.map((r) => r.RegionName) ?? [];
      expect(names).toHaveLength(3);
      expect(names).toEqual(expect.arrayContaining(["eu-west-1", "us-east-1"]));
    }
  });

  it("AccessDeniedException (403): the management account naming itself, a member naming another account, an account outside the organization", async () => {
    const own = await rejection(accountClient(emulator).send(new ListRegionsCommand({ AccountId: "111111111111" })));
    expect(own.name).toBe("AccessDeniedException");
    expect(own.$metadata.httpStatusCode).toBe(403);
    expect(own.message).toBe(
      "User: arn:aws:iam::111111111111:user/tether-demo is not authorized to perform: account:ListRegions (The management account can only be managed using the standalone context from the management account)",
    );
    const outsider = await rejection(accountClient(emulator).send(new ListRegionsCommand({ AccountId: "999999999999" })));
    expect(outsider.name).toBe("AccessDeniedException");

    const credentials = await assumeIn(ORG_CASES.workloads[3] ?? "");
    const member = accountClient(emulator, { credentials });
    const other = await rejection(member.send(new ListRegionsCommand({ AccountId: ORG_CASES.workloads[4] })));
    expect(other.name).toBe("AccessDeniedException");
    expect(other.$metadata.httpStatusCode).toBe(403);
    // Its own Regions, in standalone context, are fine.
    expect((await regions(member)).regions).toHaveLength(6);
    // The delegated administrator may name a member.
    const admin = accountClient(emulator, { credentials: await assumeIn(ORG_CASES.delegatedAdministrator) });
    expect((await regions(admin, { AccountId: ORG_CASES.workloads[4] })).regions).toHaveLength(6);
  });

  it("ValidationException (400) for MaxResults out of 1–50, a bad status and a token it did not issue", async () => {
    const client = accountClient(emulator);
    for (const input of [
      { MaxResults: 51 },
      { MaxResults: 0 },
      { RegionOptStatusContains: ["ON" as RegionOptStatus] },
      { NextToken: "bogus" },
    ]) {
      const err = (await rejection(client.send(new ListRegionsCommand(input)))) as Error & { reason?: string; $metadata: { httpStatusCode?: number } };
      expect(err.name).toBe("ValidationException");
      expect(err.$metadata.httpStatusCode).toBe(400);
      expect(err.reason).toBe("fieldValidationFailed");
    }
  });

  it("throttling faults answer TooManyRequestsException with the model's 429", async () => {
    onTestFinished(async () => {
      await control(emulator, "DELETE", "/_emulator/faults");
    });
    await control(emulator, "POST", "/_emulator/faults", { service: "account", operation: "ListRegions", error: "ThrottlingException", count: 1 });
    const err = await rejection(accountClient(emulator).send(new ListRegionsCommand({})));
    expect(err.name).toBe("TooManyRequestsException");
    expect(err.$metadata.httpStatusCode).toBe(429);
    await control(emulator, "DELETE", "/_emulator/faults");
  });

  it("on the wire: POST /listRegions, x-amzn-ErrorType and {message} on errors, counted under signing name account", async () => {
    await control(emulator, "POST", "/_emulator/stats/reset");
    const unsigned = await fetch(`${emulator.url}/listRegions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    expect(await unsigned.json()).toMatchObject({ message: "Request is missing Authentication Token" });
    const signed = await fetch(`${emulator.url}/listRegions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: fakeAuthorization("account") },
      body: JSON.stringify({ MaxResults: 50, RegionOptStatusContains: ["ENABLED"] }),
    });
    expect(signed.status).toBe(200);
    expect(signed.headers.get("content-type")).toBe("application/json");
    expect(await signed.json()).toEqual({ Regions: [{ RegionName: "eu-central-2", RegionOptStatus: "ENABLED" }] });
    const wrongService = await fetch(`${emulator.url}/listRegions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: fakeAuthorization("sts") },
      body: "{}",
    });
    expect(wrongService.status).toBe(403);
    expect(wrongService.headers.get("x-amzn-errortype")).toBe("InvalidSignatureException");
    const stats = await control(emulator, "GET", "/_emulator/stats");
    expect(stats.json.calls).toEqual({ account: { ListRegions: 3 } });
  });
});

describe("POST /_emulator/organization/accounts", () => {
  it("adds an active member to an OU, with TetherReadOnly, one connection and three enabled Regions; every API sees it", async () => {
    try {
      await addAndCheck();
    } finally {
      await reseed();
    }
  });

  async function addAndCheck(): Promise<void> {
    const added = await control(emulator, "POST", "/_emulator/organization/accounts", { name: "checkout-eu", ou: "Platform" });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      id: ORG_CASES.firstAddedAccount,
      name: "checkout-eu",
      email: "aws+checkout-eu@acme.example",
      state: "ACTIVE",
      status: "ACTIVE",
      joinedMethod: "CREATED",
      parent: { id: ORG_CASES.ous.Platform, name: "Platform" },
      roles: ["TetherReadOnly", "OrganizationAccountAccessRole"],
    });
    const id = added.json.id as string;
    const platform = await organizationsClient(emulator).send(new ListAccountsForParentCommand({ ParentId: ORG_CASES.ous.Platform }));
    expect(platform.Accounts?.map((a) => a.Id)).toEqual([...ORG_CASES.platform, id]);
    expect((await allAccounts()).accounts).toHaveLength(102);
    const enabled = await accountClient(emulator).send(new ListRegionsCommand({ AccountId: id, RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"] }));
    expect(enabled.Regions?.map((r) => r.RegionName)).toEqual(["eu-central-2", "eu-west-1", "us-east-1"]);
    await assumeIn(id);

    const without = await control(emulator, "POST", "/_emulator/organization/accounts", { name: "no-role", withRole: false });
    expect(without.status).toBe(201);
    expect(without.json).toMatchObject({ parent: { id: ORG_CASES.rootId, name: "Root" }, roles: ["OrganizationAccountAccessRole"] });
    expect(without.json.id).not.toBe(id);
    const denied = await rejection(assumeIn(without.json.id as string));
    expect(denied.name).toBe("AccessDenied");
  }

  it("400 for bad input, 409 without an organization; nothing changes", async () => {
    try {
      await refusals();
    } finally {
      await reseed();
    }
  });

  async function refusals(): Promise<void> {
    for (const body of [{}, { name: "" }, { name: 5 }, { name: "x", ou: "Nope" }, { name: "x", withRole: "yes" }, { name: "x", extra: 1 }, "[]"]) {
      const res = await control(emulator, "POST", "/_emulator/organization/accounts", body);
      expect(res.status).toBe(400);
      expect(typeof res.json.error).toBe("string");
    }
    expect((await allAccounts()).accounts).toHaveLength(101);
    await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
    const res = await control(emulator, "POST", "/_emulator/organization/accounts", { name: "x" });
    expect(res.status).toBe(409);
    expect(res.json.error).toContain("no organization");
  }
});

describe("fixtures without an organization", () => {
  it("demo: every Organizations call is AWSOrganizationsNotInUseException; ListRegions answers the account's own Regions", async () => {
    await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
    try {
      for (const call of [
        organizationsClient(emulator).send(new DescribeOrganizationCommand({})),
        organizationsClient(emulator).send(new ListAccountsCommand({})),
      ]) {
        const err = await rejection(call);
        expect(err.name).toBe("AWSOrganizationsNotInUseException");
        expect(err.$metadata.httpStatusCode).toBe(400);
      }
      const enabled = await accountClient(emulator).send(new ListRegionsCommand({ RegionOptStatusContains: ["ENABLED_BY_DEFAULT"] }));
      expect(enabled.Regions?.map((r) => r.RegionName)).toEqual(["ap-southeast-2", "eu-west-1", "us-east-1", "us-west-2"]);
      const named = await rejection(accountClient(emulator).send(new ListRegionsCommand({ AccountId: "222222222222" })));
      expect(named.name).toBe("AccessDeniedException");
    } finally {
      await reseed();
    }
  });
});
