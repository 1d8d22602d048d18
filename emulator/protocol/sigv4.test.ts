import { describe, expect, it } from "vitest";
import { parseAuthorization } from "./sigv4";

const JS_SDK =
  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/eu-west-1/codestar-connections/aws4_request, " +
  "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024";

describe("parseAuthorization", () => {
  it("reads the access key, date, region and signing name from the credential scope", () => {
    expect(parseAuthorization(JS_SDK)).toEqual({
      ok: true,
      credential: { accessKeyId: "AKIDEXAMPLE", date: "20261125", region: "eu-west-1", service: "codestar-connections" },
      signedHeaders: ["content-type", "host", "x-amz-date", "x-amz-target"],
    });
  });

  it("accepts botocore's spacing (comma and space between parameters)", () => {
    const header = "AWS4-HMAC-SHA256 Credential=x/20261125/us-east-1/sts/aws4_request,SignedHeaders=host,Signature=00";
    expect(parseAuthorization(header)).toMatchObject({ ok: true, credential: { service: "sts", region: "us-east-1" } });
  });

  it("reports a missing header as missing", () => {
    expect(parseAuthorization(undefined)).toMatchObject({ ok: false, missing: true });
    expect(parseAuthorization("  ")).toMatchObject({ ok: false, missing: true });
  });

  it.each([
    ["another scheme", "Bearer token"],
    ["no Signature", "AWS4-HMAC-SHA256 Credential=x/20261125/us-east-1/sts/aws4_request, SignedHeaders=host"],
    ["a short scope", "AWS4-HMAC-SHA256 Credential=x/20261125/us-east-1, SignedHeaders=host, Signature=00"],
    ["a bad date", "AWS4-HMAC-SHA256 Credential=x/2026-11-25/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00"],
    ["a bad terminator", "AWS4-HMAC-SHA256 Credential=x/20261125/us-east-1/sts/aws5_request, SignedHeaders=host, Signature=00"],
    ["an empty key", "AWS4-HMAC-SHA256 Credential=/20261125/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00"],
  ])("reports %s as malformed", (_label, header) => {
    expect(parseAuthorization(header)).toMatchObject({ ok: false, missing: false });
  });

  it("names every missing parameter", () => {
    const result = parseAuthorization("AWS4-HMAC-SHA256 Foo=bar");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain("requires 'Credential' parameter");
      expect(result.message).toContain("requires 'SignedHeaders' parameter");
      expect(result.message).toContain("requires 'Signature' parameter");
    }
  });
});
