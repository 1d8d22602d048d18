import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Tether", template: "%s · Tether" },
  description: "Health of AWS CodeConnections across every account and region.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request, the 404 page included, so each gets the nonce of its
  // Content-Security-Policy (proxy.ts) on its scripts; a prerendered page would have none.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">{children}</body>
    </html>
  );
}
