import { describe, expect, it } from "vitest";
import { assumedRoleIdentity, defaultIdentity } from "./identity";
import { accessDenied, isReadOnly } from "./policy";

const role = (roleName: string) =>
  assumedRoleIdentity({ account: "222222222222", roleName, sessionName: "tether", accessKeyId: "ASIA", expiration: new Date() });

describe("read-only role policy", () => {
  it("applies to assumed roles whose name contains ReadOnly, in any case", () => {
    expect(isReadOnly(role("TetherReadOnly"))).toBe(true);
    expect(isReadOnly(role("audit-readonly"))).toBe(true);
    expect(isReadOnly(role("Deployer"))).toBe(false);
    expect(isReadOnly(defaultIdentity("x"))).toBe(false);
  });

  it("words the denial like IAM", () => {
    const err = accessDenied(role("TetherReadOnly"), "codepipeline:StartPipelineExecution", "arn:aws:codepipeline:us-east-1:222222222222:p", 400);
    expect(err).toMatchObject({ code: "AccessDeniedException", status: 400 });
    expect(err.message).toBe(
      "User: arn:aws:sts::222222222222:assumed-role/TetherReadOnly/tether is not authorized to perform: codepipeline:StartPipelineExecution on resource: arn:aws:codepipeline:us-east-1:222222222222:p because no identity-based policy allows the codepipeline:StartPipelineExecution action",
    );
  });
});
