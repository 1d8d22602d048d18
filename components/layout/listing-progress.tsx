"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { Card, CardHeader } from "@/components/ui/card";

/** Rendered again this often while the first listing runs. */
const REFRESH_MS = 2000;

/**
 * How far this replica's first listing of the fleet is (accounts whose connections are listed, and
 * scopes whose hosts are), while the overview waits for it; the page renders itself again every
 * 2 s until the overview is ready. Without JavaScript, the page's Refresh link does the same.
 */
export function ListingProgress({ accounts, scopes }: { accounts: { listed: number; total: number }; scopes: { listed: number; total: number } }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [router]);
  return (
    <Card aria-labelledby="listing-progress-title">
      <CardHeader id="listing-progress-title" title="Listing the fleet for the first time" description="Connections are listed once per account, hosts once per account × Region. The overview appears when every listing has answered." />
      <div className="space-y-3 p-4 text-sm" role="status" aria-live="polite">
        <p data-testid="listing-progress">{`${accounts.listed} of ${accounts.total} accounts listed · ${scopes.listed} of ${scopes.total} scopes`}</p>
        <progress className="h-2 w-full" max={accounts.total + scopes.total} value={accounts.listed + scopes.listed} aria-label="Listings answered" />
      </div>
    </Card>
  );
}
