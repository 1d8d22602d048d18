import { describe, expect, test } from "vitest";
import { parseEnv } from "@/lib/env";
import { API_CSP, pageCsp, securityHeaders } from "./headers";

const env = (vars: Record<string, string> = {}) => parseEnv({ AWS_REGION: "us-east-1", NODE_ENV: "production", ...vars });

describe("2. security headers", () => {
  test("every response: frame-ancestors, X-Frame-Options, nosniff, Referrer-Policy; HSTS only when AUTH_URL is https", () => {
    const http = securityHeaders(env({ AUTH_URL: "http://localhost:3000" }), API_CSP);
    expect(http).toEqual({
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    });
    expect(securityHeaders(env(), API_CSP)["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders(env({ AUTH_URL: "https://tether.example.com" }), API_CSP)["Strict-Transport-Security"]).toBe("max-age=63072000; includeSubDomains");
  });

  test("pages: scripts only with the nonce (and what they load), nothing framed, forms only to Tether and the identity providers", () => {
    const csp = pageCsp("bm9uY2U=", env({ TETHER_OIDC_ISSUER: "https://idp.example.com/oauth2/default", TETHER_OIDC_CLIENT_ID: "t", AUTH_GITHUB_ID: "g", AUTH_GITHUB_SECRET: "s" }));
    const directives = Object.fromEntries(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));
    expect(directives).toMatchObject({
      "default-src": "'self'",
      "script-src": "'self' 'nonce-bm9uY2U=' 'strict-dynamic'",
      "object-src": "'none'",
      "base-uri": "'none'",
      "frame-ancestors": "'none'",
      "form-action": "'self' https://idp.example.com https://github.com",
    });
    expect(csp).not.toContain("unsafe-eval");
    expect(pageCsp("n", env({ NODE_ENV: "development" }))).toContain("'unsafe-eval'");
  });
});
