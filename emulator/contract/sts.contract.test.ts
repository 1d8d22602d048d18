import { GetConnectionCommand, ListConnectionsCommand } from "@aws-sdk/client-codestar-connections";
import { AssumeRoleCommand, GetCallerIdentityCommand, type Credentials } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CASES } from "../fixtures";
import type { RunningEmulator } from "../server";
import {
  codeConnectionsClient,
  connectionsClient,
  control,
  fakeAuthorization,
  rawQuery,
  rejection,
  startTestEmulator,
  stsClient,
} from "./helpers";

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
});

const ROLE_222 = "arn:aws:iam::222222222222:role/TetherReadOnly";

async function assume(roleArn = ROLE_222, extra: { DurationSeconds?: number; RoleSessionName?: string } = {}) {
  return stsClient(emulator).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "tether", ...extra }));
}

function asCredentials(c: Credentials | undefined) {
  return { accessKeyId: c?.AccessKeyId ?? "", secretAccessKey: c?.SecretAccessKey ?? "", sessionToken: c?.SessionToken };
}

describe("GetCallerIdentity", () => {
  it("maps any access key the emulator did not issue to the default account's user", async () => {
    for (const accessKeyId of ["x", "AKIAIOSFODNN7EXAMPLE", "ASIAUNKNOWNKEY000000"]) {
      const out = await stsClient(emulator, { credentials: { accessKeyId, secretAccessKey: "x" } }).send(new GetCallerIdentityCommand({}));
      expect(out).toMatchObject({ Account: "111111111111", Arn: "arn:aws:iam::111111111111:user/tether-demo" });
      expect(out.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    }
  });

  it("counts the call under the region of the credential scope", async () => {
    await stsClient(emulator, { region: "ap-southeast-2" }).send(new GetCallerIdentityCommand({}));
    const stats = await control(emulator, "GET", "/_emulator/stats");
    expect(stats.json.byScope).toEqual({ "111111111111/ap-southeast-2": { sts: { GetCallerIdentity: 1 } } });
  });
});

describe("AssumeRole", () => {
  it("issues temporary credentials for a role in a known account", async () => {
    const before = Date.now();
    const out = await assume();
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toBeTruthy();
    expect(out.Credentials?.SessionToken).toBeTruthy();
    const expires = out.Credentials?.Expiration?.getTime() ?? 0;
    expect(expires - before).toBeGreaterThan(3_590_000);
    expect(expires - before).toBeLessThanOrEqual(3_601_000);
    expect(out.AssumedRoleUser?.Arn).toBe("arn:aws:sts::222222222222:assumed-role/TetherReadOnly/tether");
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:tether$/);
  });

  it("routes every later call made with the issued key to the role's account", async () => {
    const credentials = asCredentials((await assume()).Credentials);
    const who = await stsClient(emulator, { credentials }).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: "222222222222", Arn: "arn:aws:sts::222222222222:assumed-role/TetherReadOnly/tether" });

    const listed = await connectionsClient(emulator, { credentials }).send(new ListConnectionsCommand({}));
    expect(listed.Connections).toHaveLength(30);
    expect(listed.Connections?.every((c) => c.OwnerAccountId === "222222222222" && c.ConnectionArn?.includes(":222222222222:"))).toBe(true);
    const got = await codeConnectionsClient(emulator, { credentials }).send(
      new GetConnectionCommand({ ConnectionArn: DEMO_CASES.secondAccountConnection.arn }),
    );
    expect(got.Connection?.ConnectionName).toBe(DEMO_CASES.secondAccountConnection.name);

    const stats = await control(emulator, "GET", "/_emulator/stats");
    expect(stats.json.byScope).toEqual({
      "111111111111/us-east-1": { sts: { AssumeRole: 1 } },
      "222222222222/us-east-1": {
        sts: { GetCallerIdentity: 1 },
        "codestar-connections": { ListConnections: 1 },
        codeconnections: { GetConnection: 1 },
      },
    });
  });

  it("accepts role chaining and role paths", async () => {
    const first = asCredentials((await assume()).Credentials);
    const chained = await stsClient(emulator, { credentials: first }).send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::111111111111:role/service-role/Deployer", RoleSessionName: "chain" }),
    );
    expect(chained.AssumedRoleUser?.Arn).toBe("arn:aws:sts::111111111111:assumed-role/Deployer/chain");
  });

  it("answers AccessDenied (403) for an account the fixture does not know", async () => {
    const err = await rejection(assume("arn:aws:iam::333333333333:role/TetherReadOnly"));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(["AccessDenied", 403]);
    expect(err.message).toBe(
      "User: arn:aws:iam::111111111111:user/tether-demo is not authorized to perform: sts:AssumeRole on resource: " +
        "arn:aws:iam::333333333333:role/TetherReadOnly",
    );
  });

  it.each([
    ["a one-character session name", ROLE_222, { RoleSessionName: "a" }],
    ["a session name with a space", ROLE_222, { RoleSessionName: "two words" }],
    ["DurationSeconds 899", ROLE_222, { DurationSeconds: 899 }],
    ["DurationSeconds 43201", ROLE_222, { DurationSeconds: 43_201 }],
    ["a user ARN", "arn:aws:iam::222222222222:user/alice", {}],
    ["a short string", "role/x", {}],
  ])("answers ValidationError (400) for %s", async (_label, roleArn, extra) => {
    const err = await rejection(assume(roleArn, extra));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(["ValidationError", 400]);
  });

  it("accepts DurationSeconds from 900 to 43200", async () => {
    for (const seconds of [900, 43_200]) {
      const out = await assume(ROLE_222, { DurationSeconds: seconds });
      const lifetime = (out.Credentials?.Expiration?.getTime() ?? 0) - Date.now();
      expect(Math.abs(lifetime - seconds * 1000)).toBeLessThan(5_000);
    }
  });
});

describe("issued credentials", () => {
  it("expire: ExpiredToken (query) / ExpiredTokenException (JSON), both 403", async () => {
    const credentials = asCredentials((await assume(ROLE_222, { DurationSeconds: 900 })).Credentials);
    emulator.state.clockOffsetMs = 901_000;
    const sts = await rejection(stsClient(emulator, { credentials }).send(new GetCallerIdentityCommand({})));
    expect([sts.name, sts.$metadata.httpStatusCode]).toEqual(["ExpiredToken", 403]);
    const json = await rejection(connectionsClient(emulator, { credentials }).send(new ListConnectionsCommand({})));
    expect([json.name, json.$metadata.httpStatusCode]).toEqual(["ExpiredTokenException", 403]);
    expect(json.message).toBe("The security token included in the request is expired");
  });

  it("must carry their own session token: InvalidClientTokenId / UnrecognizedClientException (403)", async () => {
    const a = asCredentials((await assume()).Credentials);
    const b = asCredentials((await assume()).Credentials);
    const mixed = { ...a, sessionToken: b.sessionToken };
    const sts = await rejection(stsClient(emulator, { credentials: mixed }).send(new GetCallerIdentityCommand({})));
    expect([sts.name, sts.$metadata.httpStatusCode]).toEqual(["InvalidClientTokenId", 403]);
    const json = await rejection(connectionsClient(emulator, { credentials: mixed }).send(new ListConnectionsCommand({})));
    expect([json.name, json.$metadata.httpStatusCode]).toEqual(["UnrecognizedClientException", 403]);
  });

  it("survive a re-seed of the emulator", async () => {
    const credentials = asCredentials((await assume()).Credentials);
    await control(emulator, "POST", "/_emulator/reset");
    const who = await stsClient(emulator, { credentials }).send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe("222222222222");
  });
});

describe("query protocol", () => {
  const NS = 'xmlns="https://sts.amazonaws.com/doc/2011-06-15/"';

  it("answers XML in the STS namespace with a RequestId", async () => {
    const res = await rawQuery(emulator, { form: "Action=GetCallerIdentity&Version=2011-06-15" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/xml");
    const requestId = res.headers.get("x-amzn-requestid");
    expect(res.text).toContain(`<GetCallerIdentityResponse ${NS}><GetCallerIdentityResult>`);
    expect(res.text).toContain("<Account>111111111111</Account>");
    expect(res.text).toContain(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`);
  });

  it("refuses a request without Authorization: MissingAuthenticationToken (403)", async () => {
    const res = await rawQuery(emulator, { form: "Action=GetCallerIdentity&Version=2011-06-15", authorization: null });
    expect(res.status).toBe(403);
    expect(res.text).toContain(
      `<ErrorResponse ${NS}><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code>` +
        "<Message>Request is missing Authentication Token</Message></Error><RequestId>",
    );
    const stats = await control(emulator, "GET", "/_emulator/stats");
    expect(stats.json.calls).toEqual({ sts: { GetCallerIdentity: 1 } });
  });

  it("refuses a malformed Authorization header: IncompleteSignature (403)", async () => {
    const res = await rawQuery(emulator, { form: "Action=GetCallerIdentity", authorization: "AWS4-HMAC-SHA256 Signature=abc" });
    expect(res.status).toBe(403);
    expect(res.text).toContain("<Code>IncompleteSignature</Code>");
  });

  it("answers InvalidAction (400) for an unknown Action", async () => {
    const res = await rawQuery(emulator, { form: "Action=GetSessionToken&Version=2011-06-15" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("<Code>InvalidAction</Code>");
  });

  it("escapes XML in messages", async () => {
    const res = await rawQuery(emulator, {
      form: `Action=AssumeRole&RoleArn=${encodeURIComponent("arn:aws:iam::333333333333:role/<x>&y")}&RoleSessionName=s1`,
      authorization: fakeAuthorization("sts"),
    });
    expect(res.status).toBe(403);
    expect(res.text).toContain("role/&lt;x&gt;&amp;y</Message>");
  });
});
