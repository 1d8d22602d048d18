import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The table of non-AWS paths: JSON routes with `:param` segments (the control API) and prefix
 * mounts that take over the raw request (for later: the OIDC provider, the console pages).
 */

export interface RouteRequest {
  params: Record<string, string>;
  body: Buffer;
  req: IncomingMessage;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

export type RouteHandler = (request: RouteRequest) => RouteResult | Promise<RouteResult>;
export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

export type RouteMatch =
  | { kind: "route"; handler: RouteHandler; params: Record<string, string> }
  | { kind: "mount"; handler: RawHandler }
  | { kind: "method-not-allowed"; allow: string[] }
  | { kind: "not-found" };

export class Router {
  private readonly routes: Route[] = [];
  private readonly mounts: { prefix: string; handler: RawHandler }[] = [];

  route(method: string, pattern: string, handler: RouteHandler): this {
    this.routes.push({ method, segments: split(pattern), handler });
    return this;
  }

  /** Every request whose path is `prefix` or starts with `prefix/` goes to `handler`. */
  mount(prefix: string, handler: RawHandler): this {
    this.mounts.push({ prefix, handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const mount = this.mounts.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
    if (mount) return { kind: "mount", handler: mount.handler };
    const segments = split(path);
    const allow: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method) return { kind: "route", handler: route.handler, params };
      allow.push(route.method);
    }
    return allow.length > 0 ? { kind: "method-not-allowed", allow } : { kind: "not-found" };
  }
}

function split(path: string): string[] {
  return path.split("/").filter(Boolean);
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, p] of pattern.entries()) {
    const a = actual[i] ?? "";
    if (p.startsWith(":")) {
      try {
        params[p.slice(1)] = decodeURIComponent(a);
      } catch {
        return undefined;
      }
    } else if (p !== a) {
      return undefined;
    }
  }
  return params;
}
