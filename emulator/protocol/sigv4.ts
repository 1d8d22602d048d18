/**
 * Parsing of the SigV4 `Authorization` header. The signature is never verified: the emulator
 * only needs the access key (identity) and the credential scope (region, signing name).
 */

export interface SigV4Credential {
  accessKeyId: string;
  /** yyyymmdd */
  date: string;
  region: string;
  /** The signing name, e.g. `codestar-connections`, `codeconnections`, `sts`. */
  service: string;
}

export type SigV4Parse =
  | { ok: true; credential: SigV4Credential; signedHeaders: string[] }
  | { ok: false; missing: boolean; message: string };

const ALGORITHM = "AWS4-HMAC-SHA256";

export function parseAuthorization(header: string | undefined): SigV4Parse {
  if (header === undefined || header.trim() === "") {
    return { ok: false, missing: true, message: "Request is missing Authentication Token" };
  }
  const trimmed = header.trim();
  const space = trimmed.indexOf(" ");
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== ALGORITHM) {
    return malformed(`Unsupported Authorization algorithm '${algorithm}'; expected ${ALGORITHM}.`);
  }
  const params = new Map<string, string>();
  for (const part of trimmed.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const problems = ["Credential", "SignedHeaders", "Signature"]
    .filter((name) => !params.get(name))
    .map((name) => `Authorization header requires '${name}' parameter.`);
  if (problems.length > 0) return malformed(`${problems.join(" ")} Authorization=${trimmed}`);

  const credential = parseCredential(params.get("Credential") ?? "");
  if (!credential) {
    return malformed(
      `Authorization header has a malformed Credential '${params.get("Credential")}': ` +
        "expected <AccessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request.",
    );
  }
  const signedHeaders = (params.get("SignedHeaders") ?? "").split(";").filter(Boolean);
  return { ok: true, credential, signedHeaders };
}

function parseCredential(value: string): SigV4Credential | undefined {
  const parts = value.split("/");
  if (parts.length !== 5) return undefined;
  const [accessKeyId = "", date = "", region = "", service = "", terminator = ""] = parts;
  if (!accessKeyId || !/^\d{8}$/.test(date) || !region || !service || terminator !== "aws4_request") {
    return undefined;
  }
  return { accessKeyId, date, region, service };
}

function malformed(message: string): SigV4Parse {
  return { ok: false, missing: false, message };
}
