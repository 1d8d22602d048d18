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
  // `npm test` builds right after its typecheck suite ran the same tsc over the same files (and
  // failed the run if it found anything): there the build skips its own pass. Any other build
  // (`npm run build`, the demo, a deployment) checks types as usual.
  typescript: { ignoreBuildErrors: process.env.TETHER_BUILD_TYPES_CHECKED === "1" },
  experimental: {
    // forbidden() → app/forbidden.tsx with HTTP 403 for pages only admins may see.
    authInterrupts: true,
    // The build cache in .next speeds up the next build of the same checkout; CI builds a clean
    // checkout once, never reads it, and writing it cost about 9 s of a 39 s build.
    turbopackFileSystemCacheForBuild: !process.env.CI,
  },
};

export default nextConfig;
