import Link from "next/link";

export default function PipelineNotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <p className="text-sm font-medium text-muted">404</p>
      <h1 className="mt-1 text-2xl font-semibold">Pipeline not found</h1>
      <p className="mt-2 text-sm text-muted">No pipeline of that name is mapped in that account and region.</p>
      <Link href="/pipelines" className="mt-6 inline-block text-sm text-accent underline">
        Back to all pipelines
      </Link>
    </div>
  );
}
