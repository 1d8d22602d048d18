import { buttonClass } from "./button";

/** A link that opens in a new tab without giving the target a handle on this window. */
export function ExternalLink({ href, children, variant = "secondary", ...rest }: { href: string; children: React.ReactNode; variant?: "primary" | "secondary" | "ghost" } & React.AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className={buttonClass(variant)} {...rest}>
      {children}
      <span aria-hidden>↗</span>
      <span className="sr-only">(opens in a new tab)</span>
    </a>
  );
}
