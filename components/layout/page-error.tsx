"use client";

import { useRouter } from "next/navigation";
import { startTransition, useEffect } from "react";
import { Button } from "@/components/ui/button";
import { DATABASE_UNAVAILABLE } from "@/lib/errors";
const RETRY_MS = 10_000;

/**
 * What a page shows when it could not be rendered. The database being unreachable is said plainly,
 * and the page tries again by itself every 10 seconds (Tether recovers when the database is back);
 * anything else is a generic line with the reference of the server log's entry.
 */
export function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const databaseDown = error.digest === DATABASE_UNAVAILABLE;
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  useEffect(() => {
    if (!databaseDown) {
      console.error(error);
      return;
    }
    const every = setInterval(retry, RETRY_MS);
    return () => clearInterval(every);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- retry is rebuilt each render; the interval belongs to this error
  }, [error, databaseDown]);
  return (
    <div role="alert" data-testid="page-error" data-error={databaseDown ? "database-unavailable" : "other"} className="mx-auto max-w-lg px-4 py-16 text-center">
      {databaseDown ? (
        <>
          <h1 className="text-xl font-semibold">Tether&apos;s database is unreachable</h1>
          <p className="mt-2 text-sm text-muted">
            Nothing is lost: webhook deliveries are answered 503 so providers send them again, and background work waits and retries. This page tries again every 10 seconds.
          </p>
        </>
      ) : (
        <>
          <h1 className="text-xl font-semibold">This page could not be loaded</h1>
          <p className="mt-2 text-sm text-muted">
            Something failed while reading AWS or Tether&apos;s own data. The server log has the details{error.digest ? ` (reference ${error.digest})` : ""}.
          </p>
        </>
      )}
      <Button className="mt-6" variant="primary" onClick={retry}>
        Try again
      </Button>
    </div>
  );
}
