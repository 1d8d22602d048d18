import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { credentialHeaderOf, deliveryIdOf, safeEqual, verifyDelivery, verifyHeaders } from "./verify";

const hmac = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
const headers = (h: Record<string, string>) => new Headers(h);

describe("GitHub (X-Hub-Signature-256)", () => {
  test("GitHub's documented test vector", async () => {
    const sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    expect(await verifyDelivery("github", "Hello, World!", headers({ "x-hub-signature-256": sig }), ["It's a Secret to Everybody"])).toBe(true);
  });

  const body = JSON.stringify({ ref: "refs/heads/main" });
  test.each([
    ["valid", hmac("s1", body), ["s1"], body, true],
    ["tampered body", hmac("s1", body), ["s1"], `${body} `, false],
    ["wrong secret", hmac("other", body), ["s1"], body, false],
    ["rotated: the old secret still listed", hmac("old", body), ["new", "old"], body, true],
    ["uppercase hex", hmac("s1", body).toUpperCase().replace("SHA256=", "sha256="), ["s1"], body, true],
    ["sha1 only", "sha1=abc", ["s1"], body, false],
  ])("%s", async (_name, sig, secrets, sent, expected) => {
    expect(await verifyDelivery("github", sent, headers({ "x-hub-signature-256": sig }), secrets)).toBe(expected);
  });

  test("missing header or no secret configured", async () => {
    expect(await verifyDelivery("github", body, headers({}), ["s1"])).toBe(false);
    expect(await verifyDelivery("github", body, headers({ "x-hub-signature-256": hmac("s1", body) }), [])).toBe(false);
  });
});

describe("Bitbucket (X-Hub-Signature, sha256)", () => {
  const body = '{"push":{}}';
  test("valid, wrong, missing", async () => {
    expect(await verifyDelivery("bitbucket", body, headers({ "x-hub-signature": hmac("b", body) }), ["b"])).toBe(true);
    expect(await verifyDelivery("bitbucket", body, headers({ "x-hub-signature": hmac("x", body) }), ["b"])).toBe(false);
    expect(await verifyDelivery("bitbucket", body, headers({ "x-hub-signature-256": hmac("b", body) }), ["b"])).toBe(false);
  });
});

describe("GitLab (X-Gitlab-Token, optional signing token)", () => {
  test("token equality against any configured secret", async () => {
    expect(await verifyDelivery("gitlab", "{}", headers({ "x-gitlab-token": "t2" }), ["t1", "t2"])).toBe(true);
    expect(await verifyDelivery("gitlab", "{}", headers({ "x-gitlab-token": "t3" }), ["t1", "t2"])).toBe(false);
    expect(await verifyDelivery("gitlab", "{}", headers({}), ["t1"])).toBe(false);
  });

  test("a signed delivery verifies with a whsec_ secret", async () => {
    const key = Buffer.from("signing-key-0123456789").toString("base64");
    const body = '{"object_kind":"push"}';
    const sig = createHmac("sha256", Buffer.from(key, "base64")).update(`msg_1.1700000000.${body}`).digest("base64");
    const h = { "webhook-id": "msg_1", "webhook-timestamp": "1700000000", "webhook-signature": `v1,${sig}` };
    expect(await verifyDelivery("gitlab", body, headers(h), [`whsec_${key}`], 1_700_000_000_000)).toBe(true);
    expect(await verifyDelivery("gitlab", `${body} `, headers(h), [`whsec_${key}`], 1_700_000_000_000)).toBe(false);
  });
});

test("delivery ids per provider", () => {
  expect(deliveryIdOf("github", headers({ "x-github-delivery": "d1" }))).toBe("d1");
  expect(deliveryIdOf("gitlab", headers({ "x-gitlab-event-uuid": "d2" }))).toBe("d2");
  expect(deliveryIdOf("bitbucket", headers({ "x-request-uuid": "d3" }))).toBe("d3");
  expect(deliveryIdOf("github", headers({}))).toBeNull();
});

test("safeEqual", () => {
  expect(safeEqual("a", "a")).toBe(true);
  expect(safeEqual("a", "ab")).toBe(false);
});

describe("10. which deliveries can be refused before the body is read", () => {
  test("no credential header at all", () => {
    expect(credentialHeaderOf("github", headers({ "x-hub-signature": "sha256=00" }))).toBeNull();
    expect(credentialHeaderOf("github", headers({ "x-hub-signature-256": "sha256=00" }))).toBe("x-hub-signature-256");
    expect(credentialHeaderOf("bitbucket", headers({ "x-hub-signature": "sha256=00" }))).toBe("x-hub-signature");
    expect(credentialHeaderOf("gitlab", headers({}))).toBeNull();
    expect(credentialHeaderOf("gitlab", headers({ "x-gitlab-token": "t" }))).toBe("x-gitlab-token");
    expect(credentialHeaderOf("gitlab", headers({ "webhook-signature": "v1,x" }))).toBe("webhook-signature");
  });

  test("GitLab's token alone decides, without the body; signatures need it", () => {
    expect(verifyHeaders("gitlab", headers({ "x-gitlab-token": "t2" }), ["t1", "t2"])).toBe("valid");
    expect(verifyHeaders("gitlab", headers({ "x-gitlab-token": "t3" }), ["t1", "t2"])).toBe("invalid");
    expect(verifyHeaders("gitlab", headers({ "x-gitlab-token": "t3", "webhook-signature": "v1,x" }), ["t1"])).toBe("needs-body");
    expect(verifyHeaders("github", headers({ "x-hub-signature-256": "sha256=00" }), ["s"])).toBe("needs-body");
    expect(verifyHeaders("github", headers({ "x-hub-signature-256": "sha256=00" }), [])).toBe("invalid");
  });
});

test("11. a GitLab signed delivery more than five minutes from now is refused (a replay)", async () => {
  const key = Buffer.from("signing-key-0123456789").toString("base64");
  const body = '{"object_kind":"push"}';
  const at = (ts: number) => {
    const sig = createHmac("sha256", Buffer.from(key, "base64")).update(`msg_1.${ts}.${body}`).digest("base64");
    return headers({ "webhook-id": "msg_1", "webhook-timestamp": String(ts), "webhook-signature": `v1,${sig}` });
  };
  const now = 1_700_000_000_000;
  expect(await verifyDelivery("gitlab", body, at(1_700_000_000 - 299), [`whsec_${key}`], now)).toBe(true);
  expect(await verifyDelivery("gitlab", body, at(1_700_000_000 - 301), [`whsec_${key}`], now)).toBe(false);
  expect(await verifyDelivery("gitlab", body, at(1_700_000_000 + 301), [`whsec_${key}`], now)).toBe(false);
});
