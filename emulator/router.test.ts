import { describe, expect, it } from "vitest";
import { Router } from "./router";

const handler = () => ({ status: 200, body: {} });
const raw = () => undefined;

describe("Router", () => {
  const router = new Router()
    .route("GET", "/_emulator/health", handler)
    .route("POST", "/_emulator/connections/:uuid/handshake", handler)
    .mount("/oidc", raw);

  it("matches routes and decodes parameters", () => {
    expect(router.match("POST", "/_emulator/connections/a%2Fb/handshake")).toMatchObject({ kind: "route", params: { uuid: "a/b" } });
    expect(router.match("GET", "/_emulator/health/")).toMatchObject({ kind: "route" });
  });

  it("sends everything under a mount to it, but not look-alike prefixes", () => {
    expect(router.match("GET", "/oidc")).toMatchObject({ kind: "mount" });
    expect(router.match("POST", "/oidc/token")).toMatchObject({ kind: "mount" });
    expect(router.match("GET", "/oidcx")).toEqual({ kind: "not-found" });
  });

  it("distinguishes a wrong method from an unknown path", () => {
    expect(router.match("POST", "/_emulator/health")).toEqual({ kind: "method-not-allowed", allow: ["GET"] });
    expect(router.match("GET", "/_emulator/connections/x")).toEqual({ kind: "not-found" });
    expect(router.match("POST", "/_emulator/connections/%E0%A4%A/handshake")).toEqual({ kind: "not-found" });
  });
});
