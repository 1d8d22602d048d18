"use server";

import { revalidatePath } from "next/cache";
import { createToken, revokeToken } from "@/lib/data/tokens";
import { publicMessage } from "@/lib/errors";

export type CreateTokenState = { status: "idle" } | { status: "created"; token: string; name: string } | { status: "error"; message: string };

export async function createTokenAction(_prev: CreateTokenState, form: FormData): Promise<CreateTokenState> {
  try {
    const { token, record } = await createToken({ name: form.get("name"), role: form.get("role"), expiresInDays: form.get("expiresInDays") });
    revalidatePath("/settings/tokens");
    return { status: "created", token, name: record.name };
  } catch (e) {
    return { status: "error", message: publicMessage(e) };
  }
}

export async function revokeTokenAction(form: FormData): Promise<void> {
  await revokeToken(String(form.get("id") ?? ""));
  revalidatePath("/settings/tokens");
}
