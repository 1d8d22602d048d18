import { describe, expect, it } from "vitest";
import { decodeToken, encodeToken, paginate } from "./pagination";

const items = [1, 2, 3, 5, 8].map((seq) => ({ seq }));

describe("tokens", () => {
  it("round-trip and are URL-safe", () => {
    const token = encodeToken("connections", 42);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeToken(token, "connections")).toBe(42);
  });

  it.each([
    ["another list's token", encodeToken("hosts", 1)],
    ["garbage", "not a token!"],
    ["base64 of non-JSON", Buffer.from("hello").toString("base64url")],
    ["a negative position", Buffer.from('{"k":"connections","a":-1}').toString("base64url")],
    ["a string position", Buffer.from('{"k":"connections","a":"1"}').toString("base64url")],
    ["JSON null", Buffer.from("null").toString("base64url")],
  ])("reject %s", (_label, token) => {
    expect(decodeToken(token, "connections")).toBeUndefined();
  });
});

describe("paginate", () => {
  it("walks every item once and omits the token on the last page", () => {
    const first = paginate(items, "k", 2);
    expect(first.items.map((i) => i.seq)).toEqual([1, 2]);
    const second = paginate(items, "k", 2, decodeToken(first.nextToken ?? "", "k"));
    expect(second.items.map((i) => i.seq)).toEqual([3, 5]);
    const last = paginate(items, "k", 2, decodeToken(second.nextToken ?? "", "k"));
    expect(last).toEqual({ items: [{ seq: 8 }] });
  });

  it("gives no token when the page holds exactly the rest", () => {
    expect(paginate(items, "k", 5).nextToken).toBeUndefined();
    expect(paginate([], "k", 5)).toEqual({ items: [] });
  });

  it("resumes after a position even when that item is gone", () => {
    expect(paginate(items, "k", 10, 4).items.map((i) => i.seq)).toEqual([5, 8]);
  });
});
