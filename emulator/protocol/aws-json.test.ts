import { describe, expect, it } from "vitest";
import { parseJsonInput, splitTarget, toEpochSeconds } from "./aws-json";
import { AwsError } from "./errors";

describe("splitTarget", () => {
  it.each([
    ["CodeStar_connections_20191201.ListConnections", "CodeStar_connections_20191201"],
    ["com.amazonaws.codestar.connections.CodeStar_connections_20191201.ListConnections", "com.amazonaws.codestar.connections.CodeStar_connections_20191201"],
    ["CodeConnections_20231201.ListConnections", "CodeConnections_20231201"],
    ["com.amazonaws.codeconnections.CodeConnections_20231201.ListConnections", "com.amazonaws.codeconnections.CodeConnections_20231201"],
  ])("takes the operation after the last dot of %s", (target, prefix) => {
    expect(splitTarget(target)).toEqual({ prefix, operation: "ListConnections" });
  });

  it.each(["ListConnections", ".ListConnections", "Prefix."])("rejects %s", (target) => {
    expect(splitTarget(target)).toBeUndefined();
  });
});

describe("parseJsonInput", () => {
  it("reads an object; an empty body is {}", () => {
    expect(parseJsonInput(Buffer.from('{"MaxResults":5}'))).toEqual({ MaxResults: 5 });
    expect(parseJsonInput(Buffer.from(""))).toEqual({});
  });

  it.each(["{", "[]", "null", "3"])("refuses %s with SerializationException", (body) => {
    expect(() => parseJsonInput(Buffer.from(body))).toThrow(AwsError);
  });
});

describe("toEpochSeconds", () => {
  it("keeps milliseconds as a fraction", () => {
    expect(toEpochSeconds(new Date("2023-11-14T22:13:20.500Z"))).toBe(1700000000.5);
  });
});
