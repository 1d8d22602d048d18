import Link from "next/link";

export default function HostNotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <p className="text-sm font-medium text-muted">404</p>
      <h1 className="mt-1 text-2xl font-semibold">Host not found</h1>
      <p className="mt-2 text-sm text-muted">No host with this id is listed in any configured scope.</p>
      <Link href="/hosts" className="mt-6 inline-block text-sm text-accent underline">
        Back to all hosts
      </Link>
    </div>
  );
}
