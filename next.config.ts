import type { NextConfig } from "next";
import { API_CSP, COMMON_HEADERS } from "./lib/security/headers";

const nextConfig: NextConfig = {
  // AWS SDK v3 and the native SQLite binding stay out of the server bundle and load at runtime.
  serverExternalPackages: [
    "@aws-sdk/client-cloudwatch",
    "@aws-sdk/client-codepipeline",
    "@aws-sdk/client-codestar-connections",
    "@aws-sdk/client-sts",
    "better-sqlite3",
  ],
  poweredByHeader: false,
  // Security headers on what proxy.ts does not see (static files, the receivers' early answers,
  // Next's own 404s there); proxy.ts and the receivers set their own, which take precedence,
  // with a page nonce and HSTS (when AUTH_URL is https), both decided at run time.
  async headers() {
    return [{ source: "/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }, ...Object.entries(COMMON_HEADERS).map(([key, value]) => ({ key, value }))] }];
  },
  // forbidden() → app/forbidden.tsx with HTTP 403 for pages only admins may see.
  experimental: { authInterrupts: true },
};

export default nextConfig;
