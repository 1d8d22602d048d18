import { escapeHtml } from "../html";
import { DEMO_PASSWORD, DEMO_USERS } from "./users";

/** The demo identity provider's own pages: sign-in form, errors, RP-initiated logout. */

export const INVALID_LOGIN_MESSAGE = "Invalid username or password.";

const STYLE = `
  *{box-sizing:border-box}
  body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f3f4f6;color:#111827}
  main{max-width:380px;margin:64px auto;padding:0 16px}
  .card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:28px;box-shadow:0 1px 2px rgba(0,0,0,.05)}
  .brand{font-size:13px;font-weight:600;letter-spacing:.04em;text-transform:uppercase;color:#6b7280;margin:0 0 4px}
  h1{font-size:22px;margin:0 0 20px}
  label{display:block;font-size:14px;font-weight:600;margin:14px 0 6px}
  input{width:100%;padding:9px 10px;font-size:15px;border:1px solid #d1d5db;border-radius:6px}
  input:focus{outline:2px solid #2563eb;outline-offset:0;border-color:#2563eb}
  button{margin-top:20px;width:100%;padding:10px;font-size:15px;font-weight:600;color:#fff;background:#2563eb;border:0;border-radius:6px;cursor:pointer}
  button:hover{background:#1d4ed8}
  button.secondary{color:#111827;background:#e5e7eb}
  .error{margin:0 0 8px;padding:10px 12px;border-radius:6px;background:#fef2f2;border:1px solid #fecaca;color:#991b1b;font-size:14px}
  .hint{margin:20px 0 0;padding:10px 12px;border-radius:6px;background:#eff6ff;border:1px solid #bfdbfe;color:#1e3a8a;font-size:13px}
  p{font-size:14px;line-height:1.5}
  code{font-size:13px}
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tether demo identity provider</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<div class="card">
<p class="brand">Tether demo identity provider</p>
${body}
</div>
</main>
</body>
</html>`;
}

/** The hint naming the demo users, e.g. "Demo users: alice (admin), bob (viewer); password tether-demo". */
export function demoUsersHint(): string {
  return `Demo users: ${DEMO_USERS.map((u) => `${u.username} (${u.role})`).join(", ")}; password ${DEMO_PASSWORD}`;
}

export function loginPage(opts: { action: string; clientName: string; login?: string; error?: string }): string {
  const error = opts.error ? `<p class="error" role="alert">${escapeHtml(opts.error)}</p>` : "";
  return page(
    "Sign in",
    `<h1>Sign in to ${escapeHtml(opts.clientName)}</h1>
${error}<form method="post" action="${escapeHtml(opts.action)}" autocomplete="on">
<label for="login">Username or email</label>
<input id="login" name="login" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${escapeHtml(opts.login ?? "")}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p class="hint">${escapeHtml(demoUsersHint())}</p>`,
  );
}

export function errorPage(title: string, details: Record<string, string | undefined>): string {
  const rows = Object.entries(details)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([k, v]) => `<p><strong>${escapeHtml(k)}</strong>: ${escapeHtml(v)}</p>`)
    .join("\n");
  return page(title, `<h1>${escapeHtml(title)}</h1>\n${rows}`);
}

/** RP-initiated logout confirmation; `form` is oidc-provider's hidden form (id "op.logoutForm"). */
export function logoutPage(form: string, clientName: string | undefined): string {
  return page(
    "Sign out",
    `<h1>Sign out${clientName ? ` of ${escapeHtml(clientName)}` : ""}?</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>`,
  );
}

export function loggedOutPage(clientName: string | undefined): string {
  return page("Signed out", `<h1>Signed out</h1>\n<p>You have signed out${clientName ? ` of ${escapeHtml(clientName)}` : ""}.</p>`);
}
