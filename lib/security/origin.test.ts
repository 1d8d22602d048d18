import { describe, expect, test } from "vitest";
import { crossSiteRefusal } from "./origin";

// Item 1 (cross-site request forgery), below HTTP: which requests the proxy refuses.
const COOKIE = "authjs.session-token=abc";
const req = (method: string, headers: Record<string, string>) => ({ method, headers: new Headers(headers) });

describe("1. cross-site request forgery: a cookie-authenticated state change needs Tether's own Origin", () => {
  const authUrl = "https://tether.example.com";

  test("refused: a foreign, sibling or missing Origin with the session cookie", () => {
    for (const origin of ["https://evil.example", "https://other.example.com", "http://tether.example.com", "https://tether.example.com:8443", "null"]) {
      expect(crossSiteRefusal(req("POST", { cookie: COOKIE, origin, "sec-fetch-site": "same-site" }), authUrl), origin).toMatch(/not Tether's origin/);
    }
    expect(crossSiteRefusal(req("DELETE", { cookie: COOKIE }), authUrl)).toMatch(/no Origin/);
    expect(crossSiteRefusal(req("PUT", { cookie: `__Secure-${COOKIE}`, origin: "https://evil.example" }), authUrl)).not.toBeNull();
    // A chunked session cookie authenticates as well.
    expect(crossSiteRefusal(req("PATCH", { cookie: "authjs.session-token.0=a; authjs.session-token.1=b", origin: "https://evil.example" }), authUrl)).not.toBeNull();
  });

  test("allowed: Tether's own Origin, safe methods, no session cookie, or a bearer token", () => {
    expect(crossSiteRefusal(req("POST", { cookie: COOKIE, origin: "https://tether.example.com" }), authUrl)).toBeNull();
    expect(crossSiteRefusal(req("GET", { cookie: COOKIE, origin: "https://evil.example" }), authUrl)).toBeNull();
    expect(crossSiteRefusal(req("HEAD", { cookie: COOKIE }), authUrl)).toBeNull();
    expect(crossSiteRefusal(req("POST", { origin: "https://evil.example" }), authUrl)).toBeNull();
    expect(crossSiteRefusal(req("POST", { cookie: "theme=dark", origin: "https://evil.example" }), authUrl)).toBeNull();
    expect(crossSiteRefusal(req("POST", { cookie: COOKIE, authorization: "Bearer tthr_x", origin: "https://evil.example" }), authUrl)).toBeNull();
  });

  test("without AUTH_URL, the request's own Host is Tether's origin", () => {
    expect(crossSiteRefusal(req("POST", { cookie: COOKIE, host: "localhost:3000", origin: "http://localhost:3000" }), undefined)).toBeNull();
    expect(crossSiteRefusal(req("POST", { cookie: COOKIE, host: "localhost:3000", origin: "http://localhost:3001" }), undefined)).toMatch(/not Tether's origin/);
    expect(crossSiteRefusal(req("POST", { cookie: COOKIE, origin: "http://localhost:3000" }), undefined)).not.toBeNull();
  });
});
