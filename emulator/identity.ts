import { createHash, randomBytes } from "node:crypto";
import { DEFAULT_ACCOUNT, DEFAULT_USER_NAME } from "./accounts";
import type { AuthFailure } from "./protocol/errors";

/**
 * Who is calling. Access keys the emulator did not issue belong to the IAM user `tether-demo` of
 * the default account. Keys issued by AssumeRole carry their identity in the session token, so
 * they keep working across `/_emulator/seed`, `/_emulator/reset` and emulator restarts.
 */
export type Identity =
  | { kind: "user"; account: string; arn: string; userId: string; accessKeyId: string }
  | {
      kind: "assumed-role";
      account: string;
      arn: string;
      userId: string;
      accessKeyId: string;
      roleName: string;
      sessionName: string;
      expiration: Date;
    };

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

const TOKEN_PREFIX = "TETHEREMU";

interface TokenClaims {
  /** access key id */
  k: string;
  /** account */
  a: string;
  /** role name */
  r: string;
  /** session name */
  s: string;
  /** expiration, epoch seconds */
  e: number;
}

export function defaultIdentity(accessKeyId: string): Identity {
  return {
    kind: "user",
    account: DEFAULT_ACCOUNT,
    arn: `arn:aws:iam::${DEFAULT_ACCOUNT}:user/${DEFAULT_USER_NAME}`,
    userId: awsId("AIDA", `${DEFAULT_ACCOUNT}/${DEFAULT_USER_NAME}`),
    accessKeyId,
  };
}

/** A stable IAM-style unique id (`AIDA…`, `AROA…`): the prefix and 17 base-32 characters. */
export function awsId(prefix: string, seed: string): string {
  return prefix + base32(createHash("sha256").update(seed).digest()).slice(0, 17);
}

function base32(bytes: Buffer): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function issueCredentials(claims: {
  account: string;
  roleName: string;
  sessionName: string;
  expiration: Date;
}): IssuedCredentials {
  const accessKeyId = `ASIA${base32(randomBytes(10)).slice(0, 16)}`;
  const payload: TokenClaims = {
    k: accessKeyId,
    a: claims.account,
    r: claims.roleName,
    s: claims.sessionName,
    e: Math.floor(claims.expiration.getTime() / 1000),
  };
  return {
    accessKeyId,
    secretAccessKey: randomBytes(30).toString("base64"),
    sessionToken: TOKEN_PREFIX + Buffer.from(JSON.stringify(payload)).toString("base64url"),
    expiration: new Date(payload.e * 1000),
  };
}

export function assumedRoleIdentity(claims: {
  account: string;
  roleName: string;
  sessionName: string;
  accessKeyId: string;
  expiration: Date;
}): Identity {
  return {
    kind: "assumed-role",
    account: claims.account,
    arn: `arn:aws:sts::${claims.account}:assumed-role/${claims.roleName}/${claims.sessionName}`,
    userId: `${awsId("AROA", `${claims.account}/${claims.roleName}`)}:${claims.sessionName}`,
    accessKeyId: claims.accessKeyId,
    roleName: claims.roleName,
    sessionName: claims.sessionName,
    expiration: claims.expiration,
  };
}

/**
 * The identity behind an access key and an optional `x-amz-security-token`. A token the emulator
 * issued must match the key and be unexpired; any other token is ignored (default identity).
 */
export function resolveIdentity(
  accessKeyId: string,
  sessionToken: string | undefined,
  now: Date,
): { ok: true; identity: Identity } | { ok: false; failure: AuthFailure; message: string; identity?: Identity } {
  if (!sessionToken?.startsWith(TOKEN_PREFIX)) return { ok: true, identity: defaultIdentity(accessKeyId) };
  const claims = decodeClaims(sessionToken.slice(TOKEN_PREFIX.length));
  if (!claims || claims.k !== accessKeyId) {
    return { ok: false, failure: "invalid-token", message: "The security token included in the request is invalid." };
  }
  const identity = assumedRoleIdentity({
    account: claims.a,
    roleName: claims.r,
    sessionName: claims.s,
    accessKeyId,
    expiration: new Date(claims.e * 1000),
  });
  if (claims.e * 1000 <= now.getTime()) {
    return { ok: false, failure: "expired", message: "The security token included in the request is expired", identity };
  }
  return { ok: true, identity };
}

function decodeClaims(encoded: string): TokenClaims | undefined {
  const bytes = Buffer.from(encoded, "base64url");
  // Node's decoder skips characters outside the alphabet; a token must round-trip exactly.
  if (bytes.toString("base64url") !== encoded) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString("utf8"));
    if (typeof value !== "object" || value === null) return undefined;
    const c = value as Partial<Record<keyof TokenClaims, unknown>>;
    const ok =
      typeof c.k === "string" &&
      typeof c.a === "string" &&
      /^\d{12}$/.test(c.a) &&
      typeof c.r === "string" &&
      typeof c.s === "string" &&
      typeof c.e === "number";
    return ok ? (c as TokenClaims) : undefined;
  } catch {
    return undefined;
  }
}
