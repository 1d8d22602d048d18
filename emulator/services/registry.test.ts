import { describe, expect, it } from "vitest";
import { ServiceRegistry, type RestJsonService } from "./registry";

const rest = (signingName: string, path: string, operation: string): RestJsonService => ({
  protocol: "rest-json",
  signingName,
  routes: [{ method: "POST", path, operation }],
  operations: { [operation]: () => ({}) },
});

describe("REST-JSON routing", () => {
  const registry = new ServiceRegistry()
    .register(rest("account", "/listRegions", "ListRegions"))
    .register(rest("alpha", "/shared", "AlphaOp"))
    .register(rest("beta", "/shared", "BetaOp"));

  it("finds the operation by method and path; unsigned, only when one service has that route", () => {
    expect(registry.restByRoute("POST", "/listRegions")?.operation).toBe("ListRegions");
    expect(registry.restByRoute("GET", "/listRegions")).toBeUndefined();
    expect(registry.restByRoute("POST", "/listRegions/")).toBeUndefined();
    expect(registry.restByRoute("POST", "/shared")).toBeUndefined();
  });

  it("a signed request picks the service it is signed for; another signing name falls back to the path", () => {
    expect(registry.restByRoute("POST", "/shared", "beta")?.operation).toBe("BetaOp");
    expect(registry.restByRoute("POST", "/shared", "alpha")?.operation).toBe("AlphaOp");
    // Signed for another service: still routed by path, so authentication answers InvalidSignatureException.
    expect(registry.restByRoute("POST", "/listRegions", "sts")?.service.signingName).toBe("account");
    expect(registry.signingNames()).toEqual(["account", "alpha", "beta"]);
  });
});
