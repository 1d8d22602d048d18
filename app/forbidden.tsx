import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-lg py-24 text-center">
      <p className="text-sm font-medium text-muted">403</p>
      <h1 className="mt-1 text-2xl font-semibold">Admins only</h1>
      <p className="mt-2 text-sm text-muted">This page is for Tether admins. Admins are listed in TETHER_ADMIN_EMAILS or TETHER_ADMIN_GROUPS; ask one if you need access.</p>
      <Link href="/" className="mt-6 inline-block text-sm text-accent underline">
        Go to the overview
      </Link>
    </main>
  );
}
