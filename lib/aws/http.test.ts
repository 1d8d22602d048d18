import http from "node:http";
import type { AddressInfo } from "node:net";
import { CodeStarConnectionsClient, ListConnectionsCommand } from "@aws-sdk/client-codestar-connections";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REQUEST_HANDLER } from "./http";

// A peer that accepts the request and never answers: the failure mode that once hung every
// viewer of a page sharing one in-flight listing.
const silent = http.createServer(() => {});
beforeAll(() => new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve)));
afterAll(() => {
  silent.closeAllConnections();
  return new Promise<void>((resolve) => silent.close(() => resolve()));
});

describe("REQUEST_HANDLER", () => {
  it("bounds connect and response time", () => {
    expect(REQUEST_HANDLER.connectionTimeout).toBeGreaterThan(0);
    expect(REQUEST_HANDLER.requestTimeout).toBeGreaterThan(0);
    expect(REQUEST_HANDLER.requestTimeout).toBeLessThanOrEqual(30_000);
  });

  it("turns a peer that never answers into a TimeoutError instead of a hang", async () => {
    const { port } = silent.address() as AddressInfo;
    const client = new CodeStarConnectionsClient({
      region: "us-east-1",
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      maxAttempts: 1,
      requestHandler: { ...REQUEST_HANDLER, requestTimeout: 300 },
    });
    const started = Date.now();
    await expect(client.send(new ListConnectionsCommand({}))).rejects.toMatchObject({ name: "TimeoutError" });
    expect(Date.now() - started).toBeLessThan(3_000);
  }, 5_000);
});
