import { describe, expect, test } from "vitest";
import { parseEnv } from "./env";
import { checkConfig } from "./startup";

const base = { AWS_REGION: "us-east-1" };

describe("12. AUTH_SECRET", () => {
  test("production refuses a missing secret, or one shorter than 32 characters, naming the variable", () => {
    expect(() => checkConfig(parseEnv({ ...base, NODE_ENV: "production" }))).toThrow(/^AUTH_SECRET is not set/);
    expect(() => checkConfig(parseEnv({ ...base, NODE_ENV: "production", AUTH_SECRET: "tether-demo-auth-secret" }))).toThrow("AUTH_SECRET is too short (23 characters; at least 32): generate one with: openssl rand -base64 33");
    expect(() => checkConfig(parseEnv({ ...base, NODE_ENV: "production", AUTH_SECRET: "x".repeat(31) }))).toThrow(/AUTH_SECRET is too short/);
    expect(() => checkConfig(parseEnv({ ...base, NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) }))).not.toThrow();
  });

  test("outside production (next dev, tests) a short secret is allowed", () => {
    expect(() => checkConfig(parseEnv({ ...base, NODE_ENV: "development", AUTH_SECRET: "short" }))).not.toThrow();
    expect(() => checkConfig(parseEnv({ ...base, NODE_ENV: "development" }))).not.toThrow();
  });
});
