import {
  CreateConnectionCommand,
  GetConnectionCommand,
  GetHostCommand,
  ListConnectionsCommand,
  ListHostsCommand,
  paginateListConnections,
  type CodeStarConnectionsClient,
} from "@aws-sdk/client-codestar-connections";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { REGIONS } from "../accounts";
import { DEMO_CASES } from "../fixtures";
import type { RunningEmulator } from "../server";
import { codeConnectionsClient, connectionsClient, control, rawJson, rejection, startTestEmulator, stsClient } from "./helpers";

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
});

async function arnsIn(client: CodeStarConnectionsClient): Promise<string[]> {
  const arns: string[] = [];
  for await (const page of paginateListConnections({ client }, {})) {
    for (const c of page.Connections ?? []) arns.push(c.ConnectionArn ?? "");
  }
  return arns;
}

/**
 * One client per account and Region (six): 111111111111 by default credentials, 222222222222 by
 * AssumeRole, alternating, Region by Region.
 */
async function allScopeClients(): Promise<CodeStarConnectionsClient[]> {
  const assumed = await stsClient(emulator).send(
    new AssumeRoleCommand({ RoleArn: "arn:aws:iam::222222222222:role/TetherReadOnly", RoleSessionName: "tether" }),
  );
  const second = {
    accessKeyId: assumed.Credentials?.AccessKeyId ?? "",
    secretAccessKey: assumed.Credentials?.SecretAccessKey ?? "",
    sessionToken: assumed.Credentials?.SessionToken,
  };
  return REGIONS.flatMap((region) => [
    connectionsClient(emulator, { region }),
    connectionsClient(emulator, { region, credentials: second }),
  ]);
}

describe("health, seed and reset", () => {
  it("reports health with the current fixture", async () => {
    expect(await control(emulator, "GET", "/_emulator/health")).toEqual({ status: 200, json: { status: "ok", fixture: "demo" } });
  });

  it("seeds deterministically: same ids and names every time, matching DEMO_CASES", async () => {
    const clients = await allScopeClients();
    const first = (await Promise.all(clients.map(arnsIn))).flat();
    await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
    const second = (await Promise.all(clients.map(arnsIn))).flat();
    expect(second).toEqual(first);
    // Six listings (three Regions × two accounts), each of the account's 37 or 30 connections.
    expect(first).toHaveLength(3 * 67);
    expect(new Set(first).size).toBe(67);
    for (const c of Object.values(DEMO_CASES)) {
      if ("uuid" in c) expect(first).toContain(c.arn);
    }
  });

  it("seeds large: 250 connections per account and home Region, so every Region lists 750 per account", async () => {
    const seeded = await control(emulator, "POST", "/_emulator/seed", { fixture: "large" });
    expect(seeded.json).toMatchObject({ status: "ok", fixture: "large", connections: 1500 });
    // Clients alternate: 111111111111 then 222222222222, per Region.
    const listings = await Promise.all((await allScopeClients()).map(arnsIn));
    expect(listings.map((arns) => arns.length)).toEqual([750, 750, 750, 750, 750, 750]);
    for (const [i, arns] of listings.entries()) {
      expect(arns).toEqual(listings[i % 2]);
      const homes = arns.map((arn) => arn.split(":")[3]);
      expect(REGIONS.map((r) => homes.filter((h) => h === r).length)).toEqual([250, 250, 250]);
    }
    expect(new Set([...(listings[0] ?? []), ...(listings[1] ?? [])]).size).toBe(1500);
  });

  it("resets to an empty state with zeroed counters", async () => {
    const client = connectionsClient(emulator);
    await client.send(new ListConnectionsCommand({}));
    expect(await control(emulator, "POST", "/_emulator/reset")).toEqual({ status: 200, json: { status: "ok", fixture: "empty" } });
    expect((await control(emulator, "GET", "/_emulator/health")).json.fixture).toBe("empty");
    expect((await control(emulator, "GET", "/_emulator/stats")).json).toEqual({ calls: {}, byScope: {} });
    expect((await client.send(new ListConnectionsCommand({}))).Connections).toEqual([]);
    expect((await client.send(new ListHostsCommand({}))).Hosts).toEqual([]);
  });

  it.each([["{}"], ['{"fixture":"huge"}'], ["not json"], ["[]"]])("refuses seed body %s with 400", async (body) => {
    const res = await control(emulator, "POST", "/_emulator/seed", body);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/fixture/);
  });
});

describe("stats", () => {
  it("counts every AWS call, errors included, by signing name, operation and scope", async () => {
    const client = connectionsClient(emulator);
    await client.send(new ListConnectionsCommand({}));
    await client.send(new ListConnectionsCommand({}));
    await rejection(client.send(new GetConnectionCommand({ ConnectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/nope" })));
    await codeConnectionsClient(emulator, { region: "eu-west-1" }).send(new ListConnectionsCommand({}));
    await rawJson(emulator, { target: "CodeStar_connections_20191201.ListConnections", authorization: null });
    const stats = await control(emulator, "GET", "/_emulator/stats");
    expect(stats.json).toEqual({
      calls: {
        "codestar-connections": { ListConnections: 3, GetConnection: 1 },
        codeconnections: { ListConnections: 1 },
      },
      byScope: {
        "111111111111/us-east-1": { "codestar-connections": { ListConnections: 2, GetConnection: 1 } },
        "111111111111/eu-west-1": { codeconnections: { ListConnections: 1 } },
      },
    });
  });

  it("resets the counters but keeps the state", async () => {
    await connectionsClient(emulator).send(new ListConnectionsCommand({}));
    expect(await control(emulator, "POST", "/_emulator/stats/reset")).toEqual({ status: 200, json: { calls: {}, byScope: {} } });
    expect((await control(emulator, "GET", "/_emulator/health")).json.fixture).toBe("demo");
    expect((await connectionsClient(emulator).send(new ListConnectionsCommand({}))).Connections).toHaveLength(37);
  });
});

describe("connection handshake", () => {
  const path = (uuid: string) => `/_emulator/connections/${uuid}/handshake`;

  it("completes a PENDING connection: AVAILABLE", async () => {
    const { uuid, arn } = DEMO_CASES.resumeTarget;
    expect(await control(emulator, "POST", path(uuid), { outcome: "complete" })).toEqual({
      status: 200,
      json: { uuid, arn, status: "AVAILABLE" },
    });
    const { Connection } = await connectionsClient(emulator).send(new GetConnectionCommand({ ConnectionArn: arn }));
    expect(Connection?.ConnectionStatus).toBe("AVAILABLE");
  });

  it("denies a PENDING connection: ERROR; a second attempt is 409", async () => {
    const { uuid, arn } = DEMO_CASES.denyTarget;
    expect((await control(emulator, "POST", path(uuid), { outcome: "deny" })).json.status).toBe("ERROR");
    const { Connection } = await connectionsClient(emulator).send(new GetConnectionCommand({ ConnectionArn: arn }));
    expect(Connection?.ConnectionStatus).toBe("ERROR");
    expect((await control(emulator, "POST", path(uuid), { outcome: "complete" })).status).toBe(409);
  });

  it("answers 404 for an unknown UUID and 400 for a bad outcome", async () => {
    expect((await control(emulator, "POST", path("00000000-0000-4000-8000-000000000000"), { outcome: "complete" })).status).toBe(404);
    expect((await control(emulator, "POST", path(DEMO_CASES.legacyPending.uuid), { outcome: "maybe" })).status).toBe(400);
    expect((await control(emulator, "POST", path(DEMO_CASES.sharedConnection.uuid), { outcome: "complete" })).status).toBe(409);
  });
});

describe("connection status (what AWS does on its own)", () => {
  const path = (uuid: string) => `/_emulator/connections/${uuid}/status`;

  it("moves a connection to any status, from any status; the SDK reads it back", async () => {
    const { uuid, arn } = DEMO_CASES.flipTarget;
    const read = async () => (await connectionsClient(emulator).send(new GetConnectionCommand({ ConnectionArn: arn }))).Connection?.ConnectionStatus;
    expect(await read()).toBe("AVAILABLE");
    expect(await control(emulator, "POST", path(uuid), { status: "ERROR" })).toEqual({ status: 200, json: { uuid, arn, status: "ERROR", previous: "AVAILABLE" } });
    expect(await read()).toBe("ERROR");
    // ERROR → PENDING → PENDING (the same status again) → AVAILABLE: no transition is refused.
    for (const [status, previous] of [["PENDING", "ERROR"], ["PENDING", "PENDING"], ["AVAILABLE", "PENDING"]] as const) {
      expect((await control(emulator, "POST", path(uuid), { status })).json).toMatchObject({ status, previous });
      expect(await read()).toBe(status);
    }
    // Every Region's listing shows it (connections are account-global).
    const listed = await connectionsClient(emulator, { region: "eu-west-1" }).send(new ListConnectionsCommand({}));
    expect(listed.Connections?.find((c) => c.ConnectionArn === arn)?.ConnectionStatus).toBe("AVAILABLE");
  });

  it("answers 404 for an unknown UUID and 400 for a status AWS does not have", async () => {
    expect((await control(emulator, "POST", path("00000000-0000-4000-8000-000000000000"), { status: "ERROR" })).status).toBe(404);
    for (const body of [{ status: "DELETED" }, { status: "error" }, {}, undefined]) {
      const res = await control(emulator, "POST", path(DEMO_CASES.flipTarget.uuid), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error).toBe('Expected a JSON body {"status": "AVAILABLE" | "ERROR" | "PENDING"}.');
    }
  });

  it("a seed puts it back", async () => {
    await control(emulator, "POST", path(DEMO_CASES.flipTarget.uuid), { status: "ERROR" });
    await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
    const { Connection } = await connectionsClient(emulator).send(new GetConnectionCommand({ ConnectionArn: DEMO_CASES.flipTarget.arn }));
    expect(Connection?.ConnectionStatus).toBe("AVAILABLE");
  });
});

describe("notification sinks", () => {
  const deliver = (name: string, headers: Record<string, string>, body: string) => fetch(`${emulator.url}/_emulator/sinks/${name}`, { method: "POST", headers, body });
  type Listed = { sink: string; deliveries: { seq: number; at: string; headers: Record<string, string>; contentType: string | null; body: string; answered: number }[]; failing: unknown[] };
  const list = async (name: string) => (await control(emulator, "GET", `/_emulator/sinks/${name}`)).json as unknown as Listed;

  it("records any body with its headers, in order, whatever the content type; an unknown sink is empty", async () => {
    expect(await list("slack")).toEqual({ sink: "slack", deliveries: [], failing: [] });
    const json = await deliver("slack", { "content-type": "application/json", "x-tether-signature": "t=1,v1=ab" }, '{"text":"hello"}');
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ status: "received", sink: "slack", seq: 1 });
    expect((await deliver("slack", { "content-type": "application/x-www-form-urlencoded" }, "payload=%7B%7D")).status).toBe(200);
    expect((await deliver("slack", { "content-type": "text/plain" }, "plain")).status).toBe(200);
    const { deliveries } = await list("slack");
    expect(deliveries.map((d) => [d.seq, d.contentType, d.body, d.answered])).toEqual([
      [1, "application/json", '{"text":"hello"}', 200],
      [2, "application/x-www-form-urlencoded", "payload=%7B%7D", 200],
      [3, "text/plain", "plain", 200],
    ]);
    expect(deliveries[0]?.headers["x-tether-signature"]).toBe("t=1,v1=ab");
    expect(Date.parse(deliveries[0]?.at ?? "")).toBeGreaterThan(Date.now() - 60_000);
    // Sinks are separate from each other.
    expect((await list("webhook")).deliveries).toEqual([]);
  });

  it("fails the next deliveries as told (status, count), recording them, then answers 200 again", async () => {
    expect(await control(emulator, "POST", "/_emulator/sinks/webhook/fail", { status: 503, count: 2 })).toEqual({ status: 200, json: { sink: "webhook", failing: [{ status: 503, remaining: 2 }] } });
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) answers.push((await deliver("webhook", { "content-type": "application/json" }, `{"n":${i}}`)).status);
    expect(answers).toEqual([503, 503, 200]);
    const listed = await list("webhook");
    expect(listed.deliveries.map((d) => d.answered)).toEqual([503, 503, 200]);
    expect(listed.failing).toEqual([]);
    // The default: one 500.
    await control(emulator, "POST", "/_emulator/sinks/webhook/fail", {});
    expect((await deliver("webhook", {}, "x")).status).toBe(500);
    expect((await deliver("webhook", {}, "x")).status).toBe(200);
  });

  it("a failure with `match` applies only to deliveries whose body holds that text", async () => {
    await control(emulator, "POST", "/_emulator/sinks/webhook/fail", { status: 500, count: 1, match: '"id":"abc"' });
    expect((await deliver("webhook", {}, '{"id":"other"}')).status).toBe(200);
    expect((await deliver("webhook", {}, '{"id":"abc"}')).status).toBe(500);
    expect((await deliver("webhook", {}, '{"id":"abc"}')).status).toBe(200);
  });

  it("a bad failure request is 400 naming every problem; a bad sink name is 400", async () => {
    const res = await control(emulator, "POST", "/_emulator/sinks/webhook/fail", { status: 200, count: 0, extra: true });
    expect(res).toEqual({ status: 400, json: { error: 'Invalid failure: unknown field "extra"; "status" must be an integer from 400 to 599; "count" must be an integer from 1 to 1000.' } });
    expect((await control(emulator, "GET", `/_emulator/sinks/${"x".repeat(65)}`)).status).toBe(400);
    expect((await deliver("bad%20name", {}, "x")).status).toBe(400);
  });

  it("DELETE empties one sink; a seed empties them all", async () => {
    await deliver("a", {}, "1");
    await deliver("b", {}, "2");
    expect((await control(emulator, "DELETE", "/_emulator/sinks/a")).json).toEqual({ sink: "a", deliveries: [], failing: [] });
    expect((await list("b")).deliveries).toHaveLength(1);
    await control(emulator, "POST", "/_emulator/sinks/b/fail", { count: 5 });
    await control(emulator, "POST", "/_emulator/seed", { fixture: "demo" });
    expect(await list("b")).toEqual({ sink: "b", deliveries: [], failing: [] });
  });
});

describe("host setup", () => {
  const path = (id: string) => `/_emulator/hosts/${id}/setup`;

  it("completes a PENDING host, which then accepts connections", async () => {
    const { id, arn } = DEMO_CASES.pendingHost;
    expect(await control(emulator, "POST", path(id), { outcome: "complete" })).toEqual({
      status: 200,
      json: { id, arn, status: "AVAILABLE" },
    });
    const client = connectionsClient(emulator);
    expect((await client.send(new GetHostCommand({ HostArn: arn }))).Status).toBe("AVAILABLE");
    const created = await client.send(new CreateConnectionCommand({ ConnectionName: "ghes-staging-app", HostArn: arn }));
    expect(created.ConnectionArn).toBeTruthy();
    expect((await control(emulator, "POST", path(id), { outcome: "complete" })).status).toBe(409);
  });

  it("deny leaves the host PENDING with a StatusMessage", async () => {
    const { id, arn } = DEMO_CASES.pendingHost;
    const res = await control(emulator, "POST", path(id), { outcome: "deny" });
    expect(res.json).toMatchObject({ status: "PENDING", statusMessage: expect.stringMatching(/not completed/) });
    const { Hosts } = await connectionsClient(emulator).send(new ListHostsCommand({}));
    expect(Hosts?.find((h) => h.HostArn === arn)).toMatchObject({ Status: "PENDING", StatusMessage: res.json.statusMessage });
  });

  it("answers 404 for an unknown host and 400 for a missing body", async () => {
    expect((await control(emulator, "POST", path("nope-00000000"), { outcome: "complete" })).status).toBe(404);
    expect((await control(emulator, "POST", path(DEMO_CASES.pendingHost.id))).status).toBe(400);
  });
});

describe("routing", () => {
  it("answers 404 JSON for an unknown path and 405 for a wrong method", async () => {
    expect(await control(emulator, "GET", "/nope")).toEqual({ status: 404, json: { error: "Not found: GET /nope" } });
    const res = await fetch(`${emulator.url}/_emulator/health`, { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
  });
});

describe("14. the control API answers only JSON on a loopback Host", () => {
  /** A raw request, so the Host header can be anything. */
  function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; json: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${emulator.url}${path}`, { method, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on("data", (d: Buffer) => parts.push(d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(parts).toString("utf8") || "{}") as Record<string, unknown> }));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  it("a POST that is not JSON (what a cross-site no-cors form or fetch can send) is 415 and changes nothing", async () => {
    for (const type of ["text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined]) {
      const res = await raw("POST", "/_emulator/reset", { ...(type ? { "content-type": type } : {}), "content-length": "2" }, "{}");
      expect(res.status, String(type)).toBe(415);
      expect(String(res.json.error)).toContain("application/json");
    }
    // A body-less POST from a web page (it carries an Origin) is refused as well.
    expect((await raw("POST", "/_emulator/reset", { origin: "http://localhost:8080" })).status).toBe(415);
    expect((await control(emulator, "GET", "/_emulator/health")).json).toMatchObject({ fixture: "demo" });
    expect((await raw("POST", "/_emulator/stats/reset", { "content-type": "application/json; charset=utf-8" }, "{}")).status).toBe(200);
    // A script's body-less POST (no Origin: no browser sent it) is taken.
    expect((await raw("POST", "/_emulator/stats/reset", {})).status).toBe(200);
  });

  it("a Host other than localhost, 127.0.0.1 or [::1] (DNS rebinding) is 403, reads included", async () => {
    for (const host of ["evil.example", "localhost.evil.example", "127.0.0.1.nip.io:4566", "10.0.0.5:4566"]) {
      expect((await raw("GET", "/_emulator/stats", { host })).status, host).toBe(403);
      expect((await raw("POST", "/_emulator/reset", { host, "content-type": "application/json" }, "{}")).status, host).toBe(403);
    }
    for (const host of ["localhost", `localhost:${emulator.port}`, `127.0.0.1:${emulator.port}`, `[::1]:${emulator.port}`]) {
      expect((await raw("GET", "/_emulator/health", { host })).status, host).toBe(200);
    }
  });

  it("the AWS endpoint, the console pages and a sink's receiving endpoint are not the control API", async () => {
    expect((await raw("GET", "/oidc/.well-known/openid-configuration", { host: `localhost:${emulator.port}` })).status).toBe(200);
    // A sink takes what real receivers take: any content type, whatever Host the sender names.
    expect((await raw("POST", "/_emulator/sinks/slack", { "content-type": "application/x-www-form-urlencoded" }, "payload=%7B%7D")).status).toBe(200);
    expect((await raw("POST", "/_emulator/sinks/slack", { host: "tether-notify.example", "content-type": "text/plain" }, "hi")).status).toBe(200);
  });

  it("reading, failing and emptying a sink are control calls: loopback Host, JSON", async () => {
    expect((await raw("GET", "/_emulator/sinks/slack", { host: "evil.example" })).status).toBe(403);
    expect((await raw("POST", "/_emulator/sinks/slack/fail", { "content-type": "text/plain", origin: "http://localhost:8080" }, "{}")).status).toBe(415);
    expect((await raw("DELETE", "/_emulator/sinks/slack", { host: "evil.example" })).status).toBe(403);
    expect((await raw("POST", "/_emulator/connections/00000000-0000-4000-8000-000000000000/status", { "content-type": "text/plain" }, '{"status":"ERROR"}')).status).toBe(415);
  });
});
