import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { signIn, signOut } from "@/lib/auth";
import { providerInfo, safeCallbackPath } from "@/lib/auth-config";
import { currentPrincipal } from "@/lib/data/session";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  OAuthSignin: "The identity provider could not be reached. Try again, or ask an admin to check TETHER_OIDC_ISSUER.",
  OAuthCallback: "The identity provider's answer could not be used. Try again.",
  OAuthCallbackError: "The identity provider's answer could not be used. Try again.",
  Configuration: "Sign-in is not configured correctly on the server. An admin should check the TETHER_OIDC_* settings and AUTH_SECRET.",
  Verification: "The sign-in link is no longer valid.",
  EmailUnverified: "Your identity provider says your email address is not verified, so Tether cannot rely on it. Verify it with the provider, then sign in again.",
};

export default async function LoginPage(props: PageProps<"/login">) {
  const params = await props.searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const callbackUrl = safeCallbackPath(one(params.callbackUrl));
  const error = one(params.error);
  const [principal, providers] = [await currentPrincipal(), providerInfo(env())];
  const session = principal?.via === "session" ? principal : null;
  const notice = env().TETHER_SIGNIN_NOTICE;

  if (session?.allowed && error !== "AccessDenied") redirect(callbackUrl);
  const refused = error === "AccessDenied" || (session !== null && !session.allowed);

  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <p className="mb-6 flex items-center justify-center gap-2 text-lg font-semibold">
          <span aria-hidden className="inline-block size-3 rounded-full bg-accent" />
          Tether
        </p>
        <section className="rounded-lg border border-border bg-surface p-6 shadow-sm" aria-labelledby="signin-title">
          {refused ? (
            <>
              <h1 id="signin-title" className="text-lg font-semibold">
                You are not allowed to use Tether
              </h1>
              <p className="mt-2 text-sm text-muted" data-testid="refusal">
                {session?.refusal ?? "Your account does not match the domains or groups this Tether allows."} You signed in correctly; ask a Tether admin to add your email domain or group, then sign in again.
              </p>
              {session ? (
                <form
                  className="mt-4"
                  action={async () => {
                    "use server";
                    await signOut({ redirectTo: "/login" });
                  }}
                >
                  <Button type="submit">Sign out</Button>
                </form>
              ) : null}
            </>
          ) : (
            <>
              <h1 id="signin-title" className="text-lg font-semibold">
                Sign in
              </h1>
              <p className="mt-1 text-sm text-muted">Connections, pending handshakes and push latency across your AWS accounts.</p>
              {error ? (
                <Alert tone="error" className="mt-4">
                  {ERRORS[error] ?? "Sign-in failed. Try again."}
                </Alert>
              ) : null}
              {notice ? (
                <Alert tone="info" className="mt-4" data-testid="signin-notice">
                  {notice}
                </Alert>
              ) : null}
              <div className="mt-5 space-y-2">
                {providers.length === 0 ? (
                  <Alert tone="warning">No identity provider is configured: set TETHER_OIDC_ISSUER, TETHER_OIDC_CLIENT_ID and TETHER_OIDC_CLIENT_SECRET (or AUTH_GITHUB_ID / AUTH_GITHUB_SECRET).</Alert>
                ) : (
                  providers.map((p) => (
                    <form
                      key={p.id}
                      action={async () => {
                        "use server";
                        await signIn(p.id, { redirectTo: callbackUrl });
                      }}
                    >
                      <Button type="submit" variant={p.id === "oidc" ? "primary" : "secondary"} className="w-full">
                        Sign in with {p.name}
                      </Button>
                    </form>
                  ))
                )}
              </div>
            </>
          )}
        </section>
      </div>
    </main>
  );
}
