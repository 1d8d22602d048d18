import { describe, expect, test } from "vitest";
import { parseConnectionsArn } from "./arn";

describe("parseConnectionsArn", () => {
  test("legacy and new connection ARNs", () => {
    expect(parseConnectionsArn("arn:aws:codestar-connections:us-east-1:111111111111:connection/3d2c598e-6f47-41f6-b3f2-c447bc23725d")).toEqual({
      partition: "aws",
      service: "codestar-connections",
      prefix: "legacy",
      region: "us-east-1",
      account: "111111111111",
      kind: "connection",
      id: "3d2c598e-6f47-41f6-b3f2-c447bc23725d",
    });
    expect(parseConnectionsArn("arn:aws:codeconnections:eu-west-1:222222222222:connection/7d2469ff-514a-4e4f-9003-5ca4a43cdc41")?.prefix).toBe("new");
  });

  test("hosts and other partitions", () => {
    const h = parseConnectionsArn("arn:aws-us-gov:codeconnections:us-gov-west-1:123456789012:host/ghes-main-28aef605");
    expect(h).toMatchObject({ partition: "aws-us-gov", kind: "host", id: "ghes-main-28aef605", region: "us-gov-west-1" });
  });

  test.each([
    "",
    "arn:aws:codepipeline:us-east-1:111111111111:web",
    "arn:aws:codeconnections:us-east-1:11111111111:connection/x",
    "arn:aws:codeconnections:us-east-1:111111111111:repository-link/x",
    "arn:aws:codeconnections:us-east-1:111111111111:connection/../../evil",
    "arn:aws:codeconnections:US-EAST-1:111111111111:connection/x",
  ])("rejects %j", (arn) => {
    expect(parseConnectionsArn(arn)).toBeNull();
  });
});
