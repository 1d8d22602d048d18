import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { verify as verifyHubSignature } from "@octokit/webhooks-methods";
import type { HeaderSource } from "./body";

/**
 * Signature checks on the raw body, in constant time, against every configured secret (so a
 * secret can be rotated: deploy the new one next to the old, switch the provider, drop the old).
 * - GitHub: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(body, secret)  (@octokit/webhooks-methods)
 * - Bitbucket Cloud: X-Hub-Signature, the same scheme
 * - GitLab: X-Gitlab-Token equals the secret (decided from the headers alone, before the body is
 *   read); or, where GitLab signs (webhook-id, webhook-timestamp, webhook-signature
 *   "v1,<base64>"), HMAC-SHA256 of "id.timestamp.body" keyed with the base64 part of a "whsec_…"
 *   secret, with a timestamp within five minutes of now (an older signed delivery is a replay)
 */
export type WebhookProvider = "github" | "gitlab" | "bitbucket";
export const WEBHOOK_PROVIDERS: WebhookProvider[] = ["github", "gitlab", "bitbucket"];

/** Equal strings, compared in constant time (digests make the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  const x = createHash("sha256").update(a, "utf8").digest();
  const y = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(x, y);
}

async function hubSignature(body: string, header: string | null, secrets: string[]): Promise<boolean> {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  for (const secret of secrets) {
    if (await verifyHubSignature(secret, body, header.toLowerCase())) return true;
  }
  return false;
}

/** How far a signed GitLab delivery's timestamp may be from now. */
export const GITLAB_TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

function gitlabSigned(body: string, h: HeaderSource, secrets: string[], now: number): boolean {
  const id = h.get("webhook-id");
  const ts = h.get("webhook-timestamp");
  const sig = h.get("webhook-signature");
  if (!id || !ts || !sig || !/^\d{1,12}$/.test(ts)) return false;
  if (Math.abs(now - Number(ts) * 1000) > GITLAB_TIMESTAMP_TOLERANCE_MS) return false;
  const given = sig.split(" ").map((s) => s.replace(/^v1,/, ""));
  for (const secret of secrets.filter((s) => s.startsWith("whsec_"))) {
    const key = Buffer.from(secret.slice("whsec_".length), "base64");
    const expected = createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64");
    if (given.some((g) => safeEqual(g, expected))) return true;
  }
  return false;
}

/** The header that carries the delivery's credential, or null when it has none at all. */
export function credentialHeaderOf(provider: WebhookProvider, h: HeaderSource): string | null {
  const names = provider === "github" ? ["x-hub-signature-256"] : provider === "bitbucket" ? ["x-hub-signature"] : ["x-gitlab-token", "webhook-signature"];
  return names.find((n) => h.has(n)) ?? null;
}

/**
 * What the headers alone decide, before any byte of the body is read: GitLab's token is compared
 * as it is (valid or invalid); a signature needs the body ("needs-body"). No secret: invalid.
 */
export function verifyHeaders(provider: WebhookProvider, h: HeaderSource, secrets: string[]): "valid" | "invalid" | "needs-body" {
  if (secrets.length === 0) return "invalid";
  if (provider !== "gitlab") return "needs-body";
  const token = h.get("x-gitlab-token");
  if (token !== null && secrets.some((s) => safeEqual(token, s))) return "valid";
  return h.has("webhook-signature") ? "needs-body" : "invalid";
}

export async function verifyDelivery(provider: WebhookProvider, body: string, h: HeaderSource, secrets: string[], now = Date.now()): Promise<boolean> {
  if (secrets.length === 0) return false;
  switch (provider) {
    case "github":
      return hubSignature(body, h.get("x-hub-signature-256"), secrets);
    case "bitbucket":
      return hubSignature(body, h.get("x-hub-signature"), secrets);
    case "gitlab": {
      const token = h.get("x-gitlab-token");
      if (token !== null && secrets.some((s) => safeEqual(token, s))) return true;
      return gitlabSigned(body, h, secrets, now);
    }
  }
}

/** The provider's delivery id (the replay key). */
export function deliveryIdOf(provider: WebhookProvider, h: HeaderSource): string | null {
  const id = provider === "github" ? h.get("x-github-delivery") : provider === "gitlab" ? (h.get("x-gitlab-event-uuid") ?? h.get("idempotency-key") ?? h.get("webhook-id")) : h.get("x-request-uuid");
  return id && id.length <= 200 ? id : null;
}
