import { describe, expect, it } from "vitest";
import { issueCredentials, resolveIdentity } from "./identity";

const now = new Date("2026-11-25T20:00:00Z");
const issued = issueCredentials({
  account: "222222222222",
  roleName: "TetherReadOnly",
  sessionName: "tether",
  expiration: new Date("2026-11-25T21:00:00Z"),
});

describe("resolveIdentity", () => {
  it("maps keys the emulator did not issue to the default user", () => {
    for (const token of [undefined, "IQoJb3JpZ2luX2VjE-some-real-looking-token"]) {
      const result = resolveIdentity("AKIAEXAMPLE", token, now);
      expect(result).toMatchObject({ ok: true, identity: { kind: "user", account: "111111111111", arn: "arn:aws:iam::111111111111:user/tether-demo" } });
    }
  });

  it("routes issued keys to the role's account", () => {
    expect(resolveIdentity(issued.accessKeyId, issued.sessionToken, now)).toMatchObject({
      ok: true,
      identity: {
        kind: "assumed-role",
        account: "222222222222",
        arn: "arn:aws:sts::222222222222:assumed-role/TetherReadOnly/tether",
        userId: expect.stringMatching(/^AROA[A-Z2-7]{17}:tether$/),
      },
    });
  });

  it("refuses a token used with another key, or a corrupted one", () => {
    expect(resolveIdentity("ASIAOTHER", issued.sessionToken, now)).toMatchObject({ ok: false, failure: "invalid-token" });
    expect(resolveIdentity(issued.accessKeyId, `${issued.sessionToken}x!`, now)).toMatchObject({ ok: false, failure: "invalid-token" });
  });

  it("refuses expired credentials but still names their account", () => {
    const later = new Date("2026-11-25T21:00:00Z");
    expect(resolveIdentity(issued.accessKeyId, issued.sessionToken, later)).toMatchObject({
      ok: false,
      failure: "expired",
      identity: { account: "222222222222" },
    });
  });

  it("issues AWS-shaped keys with whole-second expirations", () => {
    expect(issued.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(issued.expiration.getMilliseconds()).toBe(0);
  });
});
