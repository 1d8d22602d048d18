import { Card } from "@/components/ui/card";
import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div>
      <Skeleton className="mb-6 h-8 w-48" />
      <Card>
        <TableSkeleton rows={12} columns={6} />
      </Card>
    </div>
  );
}
