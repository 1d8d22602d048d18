import type { ServerResponse } from "node:http";

/** HTML helpers shared by the emulator's pages (`/oidc` sign-in, `/console`). */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Sends a complete HTML page; pages are never cached (they show live state or one-time forms). */
export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(html),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...headers,
  });
  res.end(html);
}

/** 303 See Other: the answer to a form POST (the browser follows it with a GET). */
export function redirect(res: ServerResponse, location: string, status = 303): void {
  res.writeHead(status, { Location: location, "Content-Length": 0, "Cache-Control": "no-store" });
  res.end();
}

/** The fields of an `application/x-www-form-urlencoded` body (other content types: none). */
export function parseForm(body: Buffer, contentType: string | undefined): URLSearchParams {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  return type === "application/x-www-form-urlencoded" ? new URLSearchParams(body.toString("utf8")) : new URLSearchParams();
}
