import Link from "next/link";
import { cn } from "@/lib/utils";

const VARIANTS = {
  primary: "bg-accent text-accent-fg hover:opacity-90",
  secondary: "border border-border bg-surface text-fg hover:bg-surface-2",
  ghost: "text-muted hover:bg-surface-2 hover:text-fg",
  danger: "bg-error text-white hover:opacity-90",
};

export const buttonClass = (variant: keyof typeof VARIANTS = "secondary", className?: string) =>
  cn("inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50", VARIANTS[variant], className);

export function Button({ variant, className, ...rest }: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof VARIANTS }) {
  return <button className={buttonClass(variant, className)} {...rest} />;
}

export function ButtonLink({ variant, className, href, ...rest }: Omit<React.AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { href: string; variant?: keyof typeof VARIANTS }) {
  return <Link href={href} className={buttonClass(variant, className)} {...rest} />;
}
