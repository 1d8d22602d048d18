import { Card } from "@/components/ui/card";
import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div>
      <Skeleton className="mb-6 h-8 w-56" />
      <Skeleton className="mb-3 h-8 w-full max-w-2xl" />
      <Card>
        <TableSkeleton rows={12} columns={7} />
      </Card>
    </div>
  );
}
