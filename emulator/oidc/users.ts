import { createHash, timingSafeEqual } from "node:crypto";

/** The demo identity provider's users (BEHAVIOR.md §6). */

export interface DemoUser {
  /** Also the OIDC `sub`. */
  username: string;
  email: string;
  name: string;
  groups: string[];
  /** What Tether's demo configuration makes of them; shown in the sign-in hint only. */
  role: "admin" | "viewer";
}

export const DEMO_PASSWORD = "tether-demo";

export const DEMO_USERS: readonly DemoUser[] = [
  { username: "alice", email: "alice@example.com", name: "Alice", groups: ["platform-admins"], role: "admin" },
  { username: "bob", email: "bob@example.com", name: "Bob", groups: ["developers"], role: "viewer" },
];

export function findUser(username: string): DemoUser | undefined {
  return DEMO_USERS.find((u) => u.username === username);
}

/** The user whose username or email (case-insensitive) is `login`, when `password` is right. */
export function authenticate(login: string, password: string): DemoUser | undefined {
  const key = login.trim().toLowerCase();
  const user = DEMO_USERS.find((u) => u.username === key || u.email === key);
  // Compare digests so the comparison takes the same time whatever the length of the guess.
  const ok = timingSafeEqual(digest(password), digest(DEMO_PASSWORD));
  return user && ok ? user : undefined;
}

/** The claims of a user; oidc-provider keeps only those the granted scopes allow. */
export function userClaims(user: DemoUser): Record<string, unknown> {
  return {
    sub: user.username,
    name: user.name,
    preferred_username: user.username,
    email: user.email,
    email_verified: true,
    groups: [...user.groups],
  };
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
