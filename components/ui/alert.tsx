import { cn } from "@/lib/utils";

const TONES = {
  error: "border-error/40 bg-error-bg text-fg",
  warning: "border-pending/40 bg-pending-bg text-fg",
  info: "border-border bg-surface-2 text-fg",
};

export function Alert({ tone = "info", title, children, className, ...rest }: { tone?: keyof typeof TONES; title?: React.ReactNode; children?: React.ReactNode; className?: string } & React.HTMLAttributes<HTMLDivElement>) {
  return (
    <div role={tone === "error" ? "alert" : "status"} className={cn("rounded-md border px-4 py-3 text-sm", TONES[tone], className)} {...rest}>
      {title ? <p className="font-medium">{title}</p> : null}
      {children ? <div className={cn(title && "mt-1", "text-muted")}>{children}</div> : null}
    </div>
  );
}
