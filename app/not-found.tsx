import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg py-24 text-center">
      <p className="text-sm font-medium text-muted">404</p>
      <h1 className="mt-1 text-2xl font-semibold">Page not found</h1>
      <Link href="/" className="mt-6 inline-block text-sm text-accent underline">
        Go to the overview
      </Link>
    </main>
  );
}
