import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

/** Who is signed in, their role, and sign-out (a server action passed in by the layout). */
export function UserMenu({ name, email, role, signOutAction }: { name: string; email: string | null; role: string; signOutAction: () => Promise<void> }) {
  return (
    <div className="flex items-center gap-3 text-sm" data-testid="user-menu">
      <span className="hidden text-right sm:block">
        <span className="block font-medium leading-tight" data-testid="user-name">
          {name}
        </span>
        {email && email !== name ? <span className="block text-xs text-muted">{email}</span> : null}
      </span>
      <span
        data-testid="user-role"
        className={cn("rounded-full px-2 py-0.5 text-xs font-medium", role === "admin" ? "bg-accent text-accent-fg" : "bg-surface-2 text-muted")}
      >
        {role}
      </span>
      <form action={signOutAction}>
        <Button type="submit" variant="ghost">
          Sign out
        </Button>
      </form>
    </div>
  );
}
