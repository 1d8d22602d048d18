"use server";

import { revalidatePath } from "next/cache";
import { addMaintenanceWindow, endMaintenanceWindow, sendTestNotification, updateRule } from "@/lib/data/alerts";
import { publicMessage } from "@/lib/errors";

export type FormState = { status: "idle" } | { status: "ok"; message: string } | { status: "error"; message: string };

/** One rule's form: `enabled`, a number per parameter (`param:<key>`), `channels` = all | some (+ `channel` values). */
export async function updateRuleAction(_prev: FormState, form: FormData): Promise<FormState> {
  try {
    const rule = String(form.get("rule") ?? "");
    const params: Record<string, number> = {};
    for (const [k, v] of form.entries()) if (k.startsWith("param:") && String(v).trim() !== "") params[k.slice(6)] = Number(v);
    const channels = form.get("channels") === "some" ? form.getAll("channel").map(String) : null;
    await updateRule(rule, { enabled: form.get("enabled") === "on", params, channels });
    revalidatePath("/alerts/rules");
    return { status: "ok", message: "Saved." };
  } catch (e) {
    return { status: "error", message: publicMessage(e) };
  }
}

export async function addWindowAction(_prev: FormState, form: FormData): Promise<FormState> {
  try {
    const w = await addMaintenanceWindow({ account: String(form.get("account") ?? "").trim(), region: String(form.get("region") ?? "").trim(), startsAt: String(form.get("startsAt") ?? ""), endsAt: String(form.get("endsAt") ?? ""), reason: String(form.get("reason") ?? "") });
    revalidatePath("/alerts/rules");
    return { status: "ok", message: `Maintenance window #${w.id} added.` };
  } catch (e) {
    return { status: "error", message: publicMessage(e) };
  }
}

export async function endWindowAction(form: FormData): Promise<void> {
  await endMaintenanceWindow(String(form.get("id") ?? ""));
  revalidatePath("/alerts/rules");
}

export async function testChannelAction(_prev: FormState, form: FormData): Promise<FormState> {
  try {
    const r = await sendTestNotification(String(form.get("channel") ?? ""));
    return r.ok ? { status: "ok", message: `Delivered (HTTP ${r.status ?? 200}).` } : { status: "error", message: `Not delivered: ${r.error ?? "failed"}` };
  } catch (e) {
    return { status: "error", message: publicMessage(e) };
  }
}
