import Link from "next/link";

/** A pipeline's name (linking to its page) over its type and scope: the first cell of pipeline tables. */
export function PipelineCell({ p }: { p: { account: string; region: string; name: string; pipelineType: string } }) {
  return (
    <td className="px-3 py-2">
      <Link href={`/pipelines/${p.account}/${p.region}/${encodeURIComponent(p.name)}`} className="font-medium hover:underline">
        {p.name}
      </Link>
      <span className="block text-xs text-muted">
        {p.pipelineType} · {p.account}/{p.region}
      </span>
    </td>
  );
}
