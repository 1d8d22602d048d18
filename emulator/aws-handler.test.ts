import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handleAwsRequest } from "./aws-handler";
import { ServiceRegistry } from "./services/registry";
import { EmulatorState } from "./state";

/** The dispatcher with a deliberately broken service: a thrown bug must become a 500, not a crash. */
const registry = new ServiceRegistry()
  .register({
    protocol: "json",
    jsonVersion: "1.1",
    targets: [{ prefix: "Broken_20200101", signingName: "broken" }],
    signingNames: ["broken"],
    operations: {
      Crash: () => {
        throw new TypeError("boom");
      },
      Echo: (input, ctx) => ({ input, account: ctx.account, region: ctx.region }),
    },
  })
  .register({
    protocol: "query",
    signingName: "brokenq",
    xmlNamespace: "urn:test",
    operations: {
      Crash: () => {
        throw new Error("boom");
      },
    },
  });
const state = new EmulatorState();
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => void handleAwsRequest(req, res, Buffer.concat(chunks), registry, state));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const auth = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=x/20261125/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

describe("handleAwsRequest", () => {
  it("answers a thrown bug with 500 InternalFailure and logs it", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const json = await fetch(url, {
      method: "POST",
      headers: { "x-amz-target": "Broken_20200101.Crash", authorization: auth("broken") },
      body: "{}",
    });
    expect(json.status).toBe(500);
    expect(json.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(await json.json()).toMatchObject({ __type: "InternalFailure" });
    const query = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: auth("brokenq") },
      body: "Action=Crash",
    });
    expect(query.status).toBe(500);
    expect(await query.text()).toContain("<Type>Receiver</Type><Code>InternalFailure</Code>");
    expect(log).toHaveBeenCalledTimes(2);
    log.mockRestore();
  });

  it("passes the parsed input, the caller's account and the scope's region", async () => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "x-amz-target": "Broken_20200101.Echo", authorization: auth("broken") },
      body: '{"a":1}',
    });
    expect(await res.json()).toEqual({ input: { a: 1 }, account: "111111111111", region: "eu-west-1" });
  });

  it("answers a request with neither a target nor a form with UnknownOperationException", async () => {
    const res = await fetch(url, { method: "POST", body: "{}" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: "UnknownOperationException" });
  });

  it("answers MissingAction for a signed form without Action", async () => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: auth("brokenq") },
      body: "Version=1",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<Code>MissingAction</Code>");
  });
});
