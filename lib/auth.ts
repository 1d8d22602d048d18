import "server-only";
import NextAuth from "next-auth";
import { authConfig } from "./auth-config";
import { env } from "./env";

// The configuration is built on first use, so `next build` needs no secrets.
export const { handlers, auth, signIn, signOut } = NextAuth(() => authConfig(env()));
