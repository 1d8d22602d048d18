import { readFileSync } from "node:fs";
import { z } from "zod";

/**
 * The only reader of process.env. Every setting is validated once, with a message that names
 * the variable and says what is wrong, so a bad deployment fails at start-up and not on the
 * first page view. The names and defaults are the README's configuration tables.
 */

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

export const scopeConfigSchema = z
  .object({
    account: z.string().regex(ACCOUNT, "account must be 12 digits"),
    regions: z
      .array(z.string().regex(REGION, "not an AWS region name (like us-east-1)"))
      .min(1, "list at least one region"),
    roleArn: z.string().regex(ROLE_ARN, "not an IAM role ARN (arn:aws:iam::<account>:role/<name>)").optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const roleAccount = s.roleArn ? ROLE_ARN.exec(s.roleArn)?.[2] : undefined;
    if (roleAccount && roleAccount !== s.account) {
      ctx.addIssue({ code: "custom", path: ["roleArn"], message: `role is in account ${roleAccount}, not ${s.account}` });
    }
    if (new Set(s.regions).size !== s.regions.length) {
      ctx.addIssue({ code: "custom", path: ["regions"], message: "a region is listed twice" });
    }
  });

export type ScopeConfig = z.infer<typeof scopeConfigSchema>;

const scopesSchema = z
  .array(scopeConfigSchema)
  .min(1, "list at least one scope")
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((s, i) =>
      s.regions.forEach((r) => {
        const key = `${s.account}/${r}`;
        if (seen.has(key)) ctx.addIssue({ code: "custom", path: [i, "regions"], message: `${key} is configured twice` });
        seen.add(key);
      }),
    );
  });

/**
 * TETHER_ORGANIZATION: discover the accounts and Regions of an AWS Organization (lib/fleet/discovery.ts).
 * OUs are named by name ("Platform") or id ("ou-ab12-cdef3456"); an account id is 12 digits.
 */
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
export const organizationConfigSchema = z
  .object({
    roleName: z.string({ error: "roleName: the role to assume in every account, e.g. TetherReadOnly" }).regex(ROLE_NAME, "not an IAM role name (letters, digits and +=,.@_-, at most 64)"),
    regions: z
      .array(z.string().regex(REGION, "not an AWS region name (like us-east-1)"))
      .min(1, "list at least one region, or leave regions out to use each account's enabled Regions")
      .refine((r) => new Set(r).size === r.length, "a region is listed twice")
      .optional(),
    excludeAccounts: z.array(z.string().regex(ACCOUNT, "account must be 12 digits")).optional(),
    includeOus: z
      .array(z.string().trim().min(1, "an OU name or id (ou-…) cannot be empty").max(128, "an OU name is at most 128 characters"))
      .min(1, "list at least one OU, or leave includeOus out for the whole organization")
      .optional(),
    managementRoleArn: z.string().regex(ROLE_ARN, "not an IAM role ARN (arn:aws:iam::<account>:role/<name>)").optional(),
  })
  .strict();

export type OrganizationConfig = z.infer<typeof organizationConfigSchema>;

/** An OU named by its id rather than its name. */
export const isOuId = (s: string): boolean => OU_ID.test(s);

const bool = (fallback: "on" | "off") =>
  z
    .enum(["on", "off", "true", "false", "1", "0"])
    .default(fallback)
    .transform((v) => v === "on" || v === "true" || v === "1");

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

const seconds = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

const consoleTemplate = z
  .string()
  .default("https://{region}.console.aws.amazon.com")
  .refine((v) => {
    try {
      const u = new URL(v.replaceAll("{region}", "us-east-1"));
      return u.protocol === "https:" || u.protocol === "http:";
    } catch {
      return false;
    }
  }, "must be an http(s) URL template, e.g. https://{region}.console.aws.amazon.com");

/** A PostgreSQL connection URL; the message never repeats the value (it may hold a password). */
const databaseUrl = z
  .string()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.hostname !== "" && u.pathname.length > 1;
    } catch {
      return false;
    }
  }, "must be a PostgreSQL URL with a host and a database: postgres://user:password@host:5432/tether (postgresql:// works too)")
  .optional();

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  AWS_REGION: z.string().regex(REGION, "not an AWS region name").optional(),
  AWS_ENDPOINT_URL: z.url("must be a URL").optional(),
  TETHER_SCOPES: z.string().optional(),
  TETHER_SCOPES_FILE: z.string().optional(),
  TETHER_ORGANIZATION: z.string().optional(),
  TETHER_DISCOVERY_INTERVAL_MINUTES: z.coerce.number("must be a number of minutes").int("must be a whole number of minutes").min(1, "at least 1 minute").max(10_080, "at most 10080 minutes (a week)").default(60),
  TETHER_CACHE_TTL_SECONDS: seconds(30),
  // A forced refresh (?refresh=1) of one listing is honoured at most this often; 0 = no limit.
  TETHER_MIN_REFRESH_SECONDS: seconds(10),
  TETHER_POLL_INTERVAL_SECONDS: seconds(60, 5),
  TETHER_BACKGROUND: bool("on"),
  // How long a replica keeps a background job's lease without renewing it (it renews every third).
  TETHER_LEASE_SECONDS: z.coerce.number().int("must be a whole number of seconds").min(3, "at least 3 seconds (leases are renewed every third of it)").max(600, "at most 600 seconds (a dead replica's jobs wait this long for another)").default(30),
  TETHER_DATABASE_PATH: z.string().min(1).default(".data/tether.db"),
  // Set: the store is PostgreSQL at this URL (TETHER_DATABASE_PATH is then not read).
  TETHER_DATABASE_URL: databaseUrl,
  TETHER_DATABASE_POOL_SIZE: z.coerce.number().int("must be a whole number of connections").min(1, "at least 1 connection").max(100, "at most 100 connections").default(10),
  TETHER_CONSOLE_URL: consoleTemplate,
  TETHER_SIGNIN_NOTICE: z.string().optional(),
  AUTH_SECRET: z.string().min(1).optional(),
  AUTH_URL: z.url("must be the public URL of Tether").optional(),
  TETHER_OIDC_ISSUER: z.url("must be the issuer URL").optional(),
  TETHER_OIDC_CLIENT_ID: z.string().min(1).optional(),
  TETHER_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  TETHER_OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
  AUTH_GITHUB_ID: z.string().min(1).optional(),
  AUTH_GITHUB_SECRET: z.string().min(1).optional(),
  TETHER_ADMIN_EMAILS: csv,
  TETHER_ADMIN_GROUPS: csv,
  TETHER_ALLOWED_DOMAINS: csv,
  TETHER_ALLOWED_GROUPS: csv,
  TETHER_METRICS_SCOPE: z
    .string()
    .regex(/^\d{12}\/[a-z0-9-]+$/, "must be account/region, e.g. 111111111111/us-east-1")
    .optional(),
  TETHER_METRICS_NAMESPACE: z.string().min(1).max(255).default("Tether"),
  TETHER_METRICS_DIMENSIONS: csv.refine((xs) => xs.every((x) => ["Pipeline", "ConnectionId", "Provider", "Fleet"].includes(x)), "list some of Pipeline, ConnectionId, Provider, Fleet ({} = the fleet-wide set)"),
  TETHER_LATENCY_SLO_SECONDS: seconds(60, 1),
  TETHER_DELETE_PENDING_AFTER_DAYS: seconds(7, 0),
  TETHER_MISSED_TRIGGER_MINUTES: z.coerce.number().positive().max(1440).default(5),
  TETHER_WEBHOOK_SECRETS_GITHUB: csv,
  TETHER_WEBHOOK_SECRETS_GITLAB: csv,
  TETHER_WEBHOOK_SECRETS_BITBUCKET: csv,
  TETHER_EVENTS_API_KEY: z.string().min(1).optional(),
  TETHER_SESSION_MAX_HOURS: z.coerce.number().positive("must be a positive number of hours").max(720, "at most 720 hours (30 days)").default(12),
  // Alert channels (lib/alerts/channels.ts checks each URL at start-up; docs/alerts.md).
  TETHER_NOTIFY_SLACK_URLS: csv,
  TETHER_NOTIFY_WEBHOOK_URLS: csv,
  TETHER_NOTIFY_WEBHOOK_SECRET: z.string().min(16, "at least 16 characters (openssl rand -hex 32)").optional(),
  // An EventBridge bus ARN; its account and Region must be a configured scope (lib/alerts/channels.ts).
  TETHER_NOTIFY_EVENT_BUS: z
    .string()
    .regex(/^arn:aws[a-z-]*:events:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:event-bus\/[A-Za-z0-9._\-/]{1,256}$/, "must be an event bus ARN, arn:aws:events:<region>:<account>:event-bus/<name>")
    .optional(),
});

type RawEnv = z.infer<typeof envSchema>;

/** Every variable Tether reads (docs/configuration.md lists each). */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export interface Env extends Omit<RawEnv, "TETHER_SCOPES" | "TETHER_SCOPES_FILE" | "TETHER_ORGANIZATION"> {
  /**
   * Configured scopes, or null: then, without an organization, the caller's own account in
   * AWS_REGION is the one scope; with one, only the discovered scopes.
   */
  scopes: ScopeConfig[] | null;
  /** TETHER_ORGANIZATION, or null when discovery is off. */
  organization: OrganizationConfig | null;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path
        .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
        .join("")
        .replace(/^\./, "");
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join("; ");
}

function parseOrganization(raw: RawEnv): OrganizationConfig | null {
  const text = raw.TETHER_ORGANIZATION?.trim();
  if (!text) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`TETHER_ORGANIZATION: not valid JSON (${(e as Error).message})`);
  }
  const parsed = organizationConfigSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`TETHER_ORGANIZATION: ${describe(parsed.error)}`);
  return parsed.data;
}

function parseScopes(raw: RawEnv, organization: boolean): ScopeConfig[] | null {
  let text: string | undefined;
  let source = "TETHER_SCOPES";
  if (raw.TETHER_SCOPES?.trim()) {
    text = raw.TETHER_SCOPES;
  } else if (raw.TETHER_SCOPES_FILE) {
    source = `TETHER_SCOPES_FILE (${raw.TETHER_SCOPES_FILE})`;
    try {
      text = readFileSync(raw.TETHER_SCOPES_FILE, "utf8");
    } catch (e) {
      throw new ConfigError(`${source}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  if (text === undefined) {
    if (!raw.AWS_REGION && !organization) {
      throw new ConfigError("no scopes: set TETHER_SCOPES (or TETHER_SCOPES_FILE), or AWS_REGION to watch the caller's own account");
    }
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = scopesSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`${source}: ${describe(parsed.error)}`);
  return parsed.data;
}

/** Parses an environment; pure, so tests can pass their own. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const blankless = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(blankless);
  if (!parsed.success) throw new ConfigError(`invalid configuration: ${describe(parsed.error)}`);
  const { TETHER_SCOPES: _s, TETHER_SCOPES_FILE: _f, TETHER_ORGANIZATION: _o, ...rest } = parsed.data;
  const organization = parseOrganization(parsed.data);
  return { ...rest, organization, scopes: parseScopes(parsed.data, organization !== null) };
}

let cached: Env | undefined;

/** The validated environment of this process (parsed on first use, then kept). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Test hook: forget the parsed environment. */
export function resetEnvForTests(): void {
  cached = undefined;
}
