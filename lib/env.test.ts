import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigError, ENV_VARIABLES, parseEnv } from "./env";

const scopes = (v: unknown) => ({ TETHER_SCOPES: JSON.stringify(v) });

describe("parseEnv", () => {
  test("defaults as the README documents them", () => {
    const e = parseEnv({ AWS_REGION: "us-east-1" });
    expect(e.scopes).toBeNull();
    expect(e.TETHER_CACHE_TTL_SECONDS).toBe(30);
    expect(e.TETHER_POLL_INTERVAL_SECONDS).toBe(60);
    expect(e.TETHER_BACKGROUND).toBe(true);
    expect(e.TETHER_LEASE_SECONDS).toBe(30);
    expect(e.TETHER_DATABASE_PATH).toBe(".data/tether.db");
    expect(e.TETHER_CONSOLE_URL).toBe("https://{region}.console.aws.amazon.com");
    expect(e.TETHER_OIDC_GROUPS_CLAIM).toBe("groups");
    expect(e.TETHER_METRICS_NAMESPACE).toBe("Tether");
    expect(e.TETHER_LATENCY_SLO_SECONDS).toBe(60);
    expect(e.TETHER_MISSED_TRIGGER_MINUTES).toBe(5);
  });

  test("scopes from JSON and from a file", () => {
    const list = [{ account: "111111111111", regions: ["us-east-1", "eu-west-1"] }, { account: "222222222222", regions: ["us-east-1"], roleArn: "arn:aws:iam::222222222222:role/TetherReadOnly" }];
    expect(parseEnv(scopes(list)).scopes).toEqual(list);
    const dir = mkdtempSync(path.join(os.tmpdir(), "tether-env-"));
    const file = path.join(dir, "scopes.json");
    writeFileSync(file, JSON.stringify(list));
    expect(parseEnv({ TETHER_SCOPES_FILE: file }).scopes).toEqual(list);
  });

  test.each([
    [scopes([{ account: "123", regions: ["us-east-1"] }]), "TETHER_SCOPES: [0].account: account must be 12 digits"],
    [scopes([{ account: "111111111111", regions: [] }]), "TETHER_SCOPES: [0].regions: list at least one region"],
    [scopes([{ account: "111111111111", regions: ["mars-1"] }]), "TETHER_SCOPES: [0].regions[0]: not an AWS region name (like us-east-1)"],
    [scopes([{ account: "111111111111", regions: ["us-east-1"], roleArn: "arn:aws:iam::222222222222:role/x" }]), "TETHER_SCOPES: [0].roleArn: role is in account 222222222222, not 111111111111"],
    [scopes([{ account: "111111111111", regions: ["us-east-1"] }, { account: "111111111111", regions: ["us-east-1"] }]), "111111111111/us-east-1 is configured twice"],
    [scopes([{ account: "111111111111", regions: ["us-east-1"], role: "x" }]), 'Unrecognized key: "role"'],
    [scopes([]), "TETHER_SCOPES: list at least one scope"],
    [{ TETHER_SCOPES: "{nope" }, "TETHER_SCOPES: not valid JSON"],
    [{ TETHER_SCOPES_FILE: "/nonexistent/scopes.json" }, "TETHER_SCOPES_FILE (/nonexistent/scopes.json): cannot read the file (ENOENT)"],
    [{}, "no scopes: set TETHER_SCOPES"],
    [{ AWS_REGION: "us-east-1", TETHER_CACHE_TTL_SECONDS: "soon" }, "TETHER_CACHE_TTL_SECONDS"],
    [{ AWS_REGION: "us-east-1", TETHER_CONSOLE_URL: "javascript:alert(1)" }, "TETHER_CONSOLE_URL: must be an http(s) URL template"],
    [{ AWS_REGION: "us-east-1", TETHER_BACKGROUND: "maybe" }, "TETHER_BACKGROUND"],
    [{ AWS_REGION: "us-east-1", TETHER_DATABASE_URL: "mysql://db.example.com/tether" }, "TETHER_DATABASE_URL: must be a PostgreSQL URL"],
    [{ AWS_REGION: "us-east-1", TETHER_DATABASE_URL: "postgres://db.example.com" }, "TETHER_DATABASE_URL: must be a PostgreSQL URL with a host and a database"],
    [{ AWS_REGION: "us-east-1", TETHER_DATABASE_URL: "db.example.com/tether" }, "TETHER_DATABASE_URL: must be a PostgreSQL URL"],
    [{ AWS_REGION: "us-east-1", TETHER_DATABASE_POOL_SIZE: "0" }, "TETHER_DATABASE_POOL_SIZE: at least 1 connection"],
    [{ AWS_REGION: "us-east-1", TETHER_DATABASE_POOL_SIZE: "2.5" }, "TETHER_DATABASE_POOL_SIZE: must be a whole number of connections"],
    [{ AWS_REGION: "us-east-1", TETHER_DATABASE_POOL_SIZE: "many" }, "TETHER_DATABASE_POOL_SIZE"],
    [{ AWS_REGION: "us-east-1", TETHER_DATABASE_POOL_SIZE: "500" }, "TETHER_DATABASE_POOL_SIZE: at most 100 connections"],
    [{ AWS_REGION: "us-east-1", TETHER_LEASE_SECONDS: "2" }, "TETHER_LEASE_SECONDS: at least 3 seconds"],
    [{ AWS_REGION: "us-east-1", TETHER_LEASE_SECONDS: "7.5" }, "TETHER_LEASE_SECONDS: must be a whole number of seconds"],
    [{ AWS_REGION: "us-east-1", TETHER_LEASE_SECONDS: "3600" }, "TETHER_LEASE_SECONDS: at most 600 seconds"],
  ])("a clear error for %j", (source, message) => {
    expect(() => parseEnv(source)).toThrow(ConfigError);
    expect(() => parseEnv(source)).toThrow(message);
  });

  test("TETHER_BACKGROUND=off and comma lists", () => {
    const e = parseEnv({ AWS_REGION: "us-east-1", TETHER_BACKGROUND: "off", TETHER_ADMIN_EMAILS: " alice@example.com, ,bob@example.com " });
    expect(e.TETHER_BACKGROUND).toBe(false);
    expect(e.TETHER_ADMIN_EMAILS).toEqual(["alice@example.com", "bob@example.com"]);
  });
});

test("TETHER_SESSION_MAX_HOURS: 12 by default, a positive number of hours", () => {
  expect(parseEnv({ AWS_REGION: "us-east-1" }).TETHER_SESSION_MAX_HOURS).toBe(12);
  expect(parseEnv({ AWS_REGION: "us-east-1", TETHER_SESSION_MAX_HOURS: "0.5" }).TETHER_SESSION_MAX_HOURS).toBe(0.5);
  expect(() => parseEnv({ AWS_REGION: "us-east-1", TETHER_SESSION_MAX_HOURS: "0" })).toThrow(/TETHER_SESSION_MAX_HOURS/);
  expect(() => parseEnv({ AWS_REGION: "us-east-1", TETHER_SESSION_MAX_HOURS: "1000" })).toThrow(/TETHER_SESSION_MAX_HOURS/);
});

test("TETHER_DATABASE_URL selects PostgreSQL (postgres:// or postgresql://); the pool has 10 connections by default", () => {
  const sqlite = parseEnv({ AWS_REGION: "us-east-1" });
  expect(sqlite.TETHER_DATABASE_URL).toBeUndefined();
  expect(sqlite.TETHER_DATABASE_POOL_SIZE).toBe(10);
  for (const url of ["postgres://tether:s3cret@db.example.com:5432/tether?sslmode=verify-full", "postgresql://db.example.com/tether"]) {
    expect(parseEnv({ AWS_REGION: "us-east-1", TETHER_DATABASE_URL: url, TETHER_DATABASE_POOL_SIZE: "25" })).toMatchObject({ TETHER_DATABASE_URL: url, TETHER_DATABASE_POOL_SIZE: 25 });
  }
  // The message names the variable, never the value: a URL may carry a password.
  expect(() => parseEnv({ AWS_REGION: "us-east-1", TETHER_DATABASE_URL: "mysql://root:hunter2@db/tether" })).toThrow(/^(?!.*hunter2).*TETHER_DATABASE_URL/);
});

test("every variable Tether reads is documented in docs/configuration.md", () => {
  const doc = readFileSync(path.join(import.meta.dirname, "..", "docs", "configuration.md"), "utf8");
  const missing = ENV_VARIABLES.filter((v) => v !== "NODE_ENV" && !doc.includes(`\`${v}\``));
  expect(missing).toEqual([]);
  expect(ENV_VARIABLES.length).toBeGreaterThan(30);
});

describe("TETHER_ORGANIZATION and TETHER_DISCOVERY_INTERVAL_MINUTES", () => {
  const org = (v: unknown) => ({ TETHER_ORGANIZATION: typeof v === "string" ? v : JSON.stringify(v) });

  test("off by default; every 60 minutes", () => {
    const e = parseEnv({ AWS_REGION: "us-east-1" });
    expect(e.organization).toBeNull();
    expect(e.TETHER_DISCOVERY_INTERVAL_MINUTES).toBe(60);
  });

  test("every field, and OUs by name or id; no scopes and no AWS_REGION needed", () => {
    const full = { roleName: "TetherReadOnly", regions: ["us-east-1", "eu-west-1"], excludeAccounts: ["123456789012"], includeOus: ["Platform", "ou-ab12-cdef3456"], managementRoleArn: "arn:aws:iam::111111111111:role/TetherDiscovery" };
    const e = parseEnv({ ...org(full), TETHER_DISCOVERY_INTERVAL_MINUTES: "15" });
    expect(e.organization).toEqual(full);
    expect(e.scopes).toBeNull();
    expect(e.TETHER_DISCOVERY_INTERVAL_MINUTES).toBe(15);
    expect(parseEnv(org({ roleName: "R" })).organization).toEqual({ roleName: "R" });
    // Configured scopes are kept beside the organization.
    expect(parseEnv({ ...org({ roleName: "R" }), ...scopes([{ account: "111111111111", regions: ["us-east-1"] }]) }).scopes).toHaveLength(1);
  });

  test.each([
    [org("{"), "TETHER_ORGANIZATION: not valid JSON"],
    [org({}), "TETHER_ORGANIZATION: roleName"],
    [org({ roleName: "a/b" }), "TETHER_ORGANIZATION: roleName: not an IAM role name"],
    [org({ roleName: "R", regions: [] }), "TETHER_ORGANIZATION: regions: list at least one region"],
    [org({ roleName: "R", regions: ["moon-1"] }), "TETHER_ORGANIZATION: regions[0]: not an AWS region name"],
    [org({ roleName: "R", regions: ["us-east-1", "us-east-1"] }), "TETHER_ORGANIZATION: regions: a region is listed twice"],
    [org({ roleName: "R", excludeAccounts: ["12"] }), "TETHER_ORGANIZATION: excludeAccounts[0]: account must be 12 digits"],
    [org({ roleName: "R", includeOus: [] }), "TETHER_ORGANIZATION: includeOus: list at least one OU"],
    [org({ roleName: "R", includeOus: [" "] }), "TETHER_ORGANIZATION: includeOus[0]: an OU name or id (ou-…) cannot be empty"],
    [org({ roleName: "R", managementRoleArn: "TetherDiscovery" }), "TETHER_ORGANIZATION: managementRoleArn: not an IAM role ARN"],
    [org({ roleName: "R", role: "x" }), 'TETHER_ORGANIZATION: Unrecognized key: "role"'],
    [{ ...org({ roleName: "R" }), TETHER_DISCOVERY_INTERVAL_MINUTES: "0" }, "TETHER_DISCOVERY_INTERVAL_MINUTES: at least 1 minute"],
    [{ ...org({ roleName: "R" }), TETHER_DISCOVERY_INTERVAL_MINUTES: "1.5" }, "TETHER_DISCOVERY_INTERVAL_MINUTES: must be a whole number of minutes"],
    [{ ...org({ roleName: "R" }), TETHER_DISCOVERY_INTERVAL_MINUTES: "hourly" }, "TETHER_DISCOVERY_INTERVAL_MINUTES"],
  ])("a clear error for %j", (source, message) => {
    expect(() => parseEnv(source)).toThrow(ConfigError);
    expect(() => parseEnv(source)).toThrow(message);
  });
});
