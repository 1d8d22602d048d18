import type { NextConfig } from "next";

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
  // forbidden() → app/forbidden.tsx with HTTP 403 for pages only admins may see.
  experimental: { authInterrupts: true },
};

export default nextConfig;
