import { Readable } from "node:stream";
import type { IncomingMessage } from "node:http";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BodyError, readBody } from "./body";

function request(body: Buffer, headers: Record<string, string> = {}): IncomingMessage {
  return Object.assign(Readable.from([body]), { headers }) as unknown as IncomingMessage;
}

describe("readBody", () => {
  it("returns the raw body, or the gunzipped one for Content-Encoding: gzip", async () => {
    expect((await readBody(request(Buffer.from("{}")))).toString()).toBe("{}");
    const zipped = gzipSync(Buffer.from('{"a":1}'));
    expect((await readBody(request(zipped, { "content-encoding": "gzip" }))).toString()).toBe('{"a":1}');
  });

  it.each([
    ["an oversized body", request(Buffer.alloc(11)), 413],
    ["bad gzip", request(Buffer.from("nope"), { "content-encoding": "gzip" }), 400],
    ["a gzip bomb", request(gzipSync(Buffer.alloc(1000)), { "content-encoding": "gzip" }), 413],
    ["an unknown encoding", request(Buffer.from("x"), { "content-encoding": "br" }), 415],
  ])("refuses %s", async (_label, req, status) => {
    await expect(readBody(req, 10)).rejects.toSatisfy((e) => e instanceof BodyError && e.status === status);
  });
});
