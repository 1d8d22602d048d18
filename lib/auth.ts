import "server-only";
import NextAuth from "next-auth";
import { authConfig } from "./auth-config";
import { env } from "./env";
import { getStore } from "./store";

// The configuration is built on first use, so `next build` needs no secrets (nor a database).
export const { handlers, auth, signIn, signOut } = NextAuth(() => authConfig(env(), getStore().sessions));
