/**
 * Just enough of a browser for the contract tests of the emulator's HTML pages (`/oidc`,
 * `/console`): `fetch` without following redirects, a cookie jar that honours `Path`, and
 * helpers that read buttons, labels and forms out of the HTML.
 */

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  store(url: string, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";").map((s) => s.trim());
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = defaultPath(url);
      let expired = false;
      for (const attribute of attributes) {
        const [key = "", val = ""] = attribute.split("=");
        if (key.toLowerCase() === "path" && val.startsWith("/")) path = val;
        if (key.toLowerCase() === "expires" && Date.parse(val) <= Date.now()) expired = true;
        if (key.toLowerCase() === "max-age" && Number(val) <= 0) expired = true;
      }
      const key = `${name};${path}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  header(url: string): string {
    const path = new URL(url).pathname;
    return [...this.cookies.values()]
      .filter((c) => path === c.path || path.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
  }

  names(): string[] {
    return [...this.cookies.values()].map((c) => c.name);
  }
}

function defaultPath(url: string): string {
  const path = new URL(url).pathname;
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}

export interface PageResponse {
  url: string;
  status: number;
  location?: string;
  text: string;
  headers: Headers;
}

/** One request, no redirects followed; `form` sends `application/x-www-form-urlencoded`. */
export async function request(
  url: string,
  opts: { jar?: CookieJar; method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<PageResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  const cookie = opts.jar?.header(url);
  if (cookie) headers.cookie = cookie;
  let body: string | undefined;
  if (opts.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(opts.form).toString();
  }
  const res = await fetch(url, { method: opts.method ?? (body === undefined ? "GET" : "POST"), headers, body, redirect: "manual" });
  opts.jar?.store(url, res);
  const location = res.headers.get("location") ?? undefined;
  return { url, status: res.status, location: location ? new URL(location, url).href : undefined, text: await res.text(), headers: res.headers };
}

/** The text of every `<button>` (their accessible names: the pages put plain text in them). */
export function buttons(html: string): string[] {
  return [...html.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)].map((m) => stripTags(m[1] ?? "").trim());
}

/** `<button …>name</button>` attributes, by name. */
export function buttonAttributes(html: string, name: string): string | undefined {
  for (const m of html.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/g)) {
    if (stripTags(m[2] ?? "").trim() === name) return m[1];
  }
  return undefined;
}

/**
 * The label text of every form control, by the control's `name`, for `<label for=id>` pointing at
 * an `<input>` or `<select>` with that id.
 */
export function labelledControls(html: string): Record<string, string> {
  const labels = new Map<string, string>();
  for (const m of html.matchAll(/<label\b[^>]*\bfor="([^"]+)"[^>]*>([\s\S]*?)<\/label>/g)) {
    labels.set(m[1] ?? "", stripTags(m[2] ?? "").trim());
  }
  const controls: Record<string, string> = {};
  for (const m of html.matchAll(/<(?:input|select|textarea)\b([^>]*)>/g)) {
    const attrs = m[1] ?? "";
    const id = /\bid="([^"]+)"/.exec(attrs)?.[1];
    const name = /\bname="([^"]+)"/.exec(attrs)?.[1];
    const label = id ? labels.get(id) : undefined;
    if (name && label) controls[name] = label;
  }
  return controls;
}

/** The `action` of the first form whose HTML contains `marker` (the first form when absent). */
export function formAction(html: string, baseUrl: string, marker?: string): string {
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    if (marker && !(m[0] ?? "").includes(marker)) continue;
    const action = /\baction="([^"]*)"/.exec(m[1] ?? "")?.[1] ?? "";
    return new URL(decodeEntities(action), baseUrl).href;
  }
  throw new Error(`no form${marker ? ` containing ${marker}` : ""}`);
}

/** The hidden inputs of the first form whose HTML contains `marker`. */
export function hiddenFields(html: string, marker: string): Record<string, string> {
  const form = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].find((m) => (m[0] ?? "").includes(marker))?.[0] ?? "";
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input\b([^>]*)>/g)) {
    const attrs = m[1] ?? "";
    if (!/type="hidden"/.test(attrs)) continue;
    const name = /\bname="([^"]+)"/.exec(attrs)?.[1];
    const value = /\bvalue="([^"]*)"/.exec(attrs)?.[1];
    if (name) fields[name] = decodeEntities(value ?? "");
  }
  return fields;
}

function stripTags(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ""));
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}
