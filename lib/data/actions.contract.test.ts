import { beforeEach, describe, expect, test, vi } from "vitest";
import { DEMO_PIPELINE_CASES } from "../../emulator/fixtures/demo";
import type { RunningEmulator } from "../../emulator/server";
import { awsEnv, emulatorPerFile } from "../../emulator/contract/helpers";
import { callAs } from "./test-caller";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";

/**
 * Admin actions against the emulator with the real SDK, called as an admin API token: the audit
 * record of a release or a delete exists BEFORE AWS is asked, so a failure between the AWS call
 * and its outcome record leaves a visible, unfinished intent — never an unaudited action.
 */
const headers = new Headers();
vi.mock("next/headers", () => ({ headers: async () => headers }));

let emulator: RunningEmulator;
const ADMIN = "ops-admin@example.com";

type Stats = { calls: Record<string, Record<string, number>> };
const calls = async (service: string, op: string) => ((await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as Stats).calls[service]?.[op] ?? 0;

emulatorPerFile("demo", (e) => (emulator = e));

beforeEach(async () => {
  Object.assign(process.env, {
    ...awsEnv(emulator),
    TETHER_SCOPES: JSON.stringify([{ account: "111111111111", regions: ["us-east-1", "eu-west-1", "ap-southeast-2"] }]),
    TETHER_DATABASE_PATH: ":memory:",
    TETHER_ADMIN_EMAILS: ADMIN,
    TETHER_DELETE_PENDING_AFTER_DAYS: "0",
    TETHER_BACKGROUND: "off",
  });
  resetEnvForTests();
  resetSingleton();
  await callAs(headers, "admin", { createdBy: ADMIN });
});

/** Makes the audit log refuse the next write after `n` more succeed (a database error mid-action). */
async function failAuditAfter(n: number) {
  const { getStore } = await import("@/lib/store");
  const audit = getStore().audit;
  const real = audit.append.bind(audit);
  let left = n;
  vi.spyOn(audit, "append").mockImplementation((record, at) => {
    if (left-- <= 0) throw new Error("disk I/O error");
    return real(record, at);
  });
}

describe("release", () => {
  test("the intent is recorded before StartPipelineExecution, the outcome after it, pointing at it", async () => {
    const { releasePipeline } = await import("./actions");
    const { getStore } = await import("@/lib/store");
    const { syncPipelineMap } = await import("@/lib/pipelines/map");
    await syncPipelineMap({ refresh: true });
    const c = DEMO_PIPELINE_CASES.healthyV2;
    const out = await releasePipeline(c.account, c.region, c.name);
    const intent = await getStore().audit.get(out.auditId);
    expect(intent).toMatchObject({ action: "pipeline.release", outcome: "allowed", actor: "token:ops" });
    expect((await getStore().audit.relatedTo([out.auditId]))).toEqual([expect.objectContaining({ action: "pipeline.release.outcome", outcome: "completed", detail: `execution ${out.executionId}` })]);
  });

  test("a database error after AWS started the pipeline leaves the intent, unfinished, on the audit log", async () => {
    const { releasePipeline } = await import("./actions");
    const { getAuditLog } = await import("./audit");
    const { syncPipelineMap } = await import("@/lib/pipelines/map");
    await syncPipelineMap({ refresh: true });
    const c = DEMO_PIPELINE_CASES.healthyV2;
    const before = await calls("codepipeline", "StartPipelineExecution");
    await failAuditAfter(1); // the intent is written; the outcome is not
    await expect(releasePipeline(c.account, c.region, c.name)).rejects.toThrow("disk I/O error");
    vi.restoreAllMocks();
    expect(await calls("codepipeline", "StartPipelineExecution")).toBe(before + 1);
    const log = await getAuditLog({ action: "pipeline.release" });
    expect(log.records).toHaveLength(1);
    expect(log.records[0]).toMatchObject({ outcome: "allowed", unfinished: true, outcomes: [] });
  });

  test("when the intent cannot be written, AWS is never asked", async () => {
    const { releasePipeline } = await import("./actions");
    const { syncPipelineMap } = await import("@/lib/pipelines/map");
    await syncPipelineMap({ refresh: true });
    const c = DEMO_PIPELINE_CASES.healthyV2;
    const before = await calls("codepipeline", "StartPipelineExecution");
    await failAuditAfter(0);
    await expect(releasePipeline(c.account, c.region, c.name)).rejects.toThrow("disk I/O error");
    vi.restoreAllMocks();
    expect(await calls("codepipeline", "StartPipelineExecution")).toBe(before);
  });
});

describe("delete", () => {
  test("a database error after DeleteConnection leaves the intent, unfinished; a failed intent deletes nothing", async () => {
    const { deleteStaleConnection } = await import("./actions");
    const { getAuditLog } = await import("./audit");
    const { syncPipelineMap } = await import("@/lib/pipelines/map");
    const { getInventory } = await import("@/lib/fleet/inventory");
    await getInventory({ refresh: true });
    await syncPipelineMap({ refresh: true });
    // An unused PENDING connection of the demo, in account 111111111111, whose home Region is eu-west-1.
    const inv = await getInventory();
    const victim = inv.connections.find((c) => c.name === "translations-github");
    expect(victim?.region).toBe("eu-west-1");
    const id = victim?.id ?? "";

    await failAuditAfter(0);
    await expect(deleteStaleConnection(id)).rejects.toThrow("disk I/O error");
    vi.restoreAllMocks();
    expect(await calls("codeconnections", "DeleteConnection")).toBe(0);
    expect(await calls("codestar-connections", "DeleteConnection")).toBe(0);

    await failAuditAfter(1);
    await expect(deleteStaleConnection(id)).rejects.toThrow("disk I/O error");
    vi.restoreAllMocks();
    expect((await calls("codeconnections", "DeleteConnection")) + (await calls("codestar-connections", "DeleteConnection"))).toBe(1);
    const log = await getAuditLog({ action: "connection.delete" });
    expect(log.records[0]).toMatchObject({ outcome: "allowed", unfinished: true, targetName: "translations-github" });
  });

  test("the Delete of a connection homed in another Region goes to its home Region", async () => {
    const { deleteStaleConnection } = await import("./actions");
    const { syncPipelineMap } = await import("@/lib/pipelines/map");
    const { getInventory } = await import("@/lib/fleet/inventory");
    await getInventory({ refresh: true });
    await syncPipelineMap({ refresh: true });
    const victim = (await getInventory()).connections.find((c) => c.name === "translations-github");
    await fetch(`${emulator.url}/_emulator/stats/reset`, { method: "POST" });
    await deleteStaleConnection(victim?.id ?? "");
    const byScope = ((await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as { byScope: Record<string, Record<string, Record<string, number>>> }).byScope;
    const deletes = Object.entries(byScope).filter(([, s]) => Object.values(s).some((ops) => ops.DeleteConnection));
    expect(deletes.map(([scope]) => scope)).toEqual(["111111111111/eu-west-1"]);
  });
});

describe("refusals", () => {
  test("a viewer's delete, host set-up, resume, release and sweep are refused (403) and each refusal is audited; AWS is never asked", async () => {
    const { getStore } = await import("@/lib/store");
    await callAs(headers, "viewer", { id: "t2", name: "reader", createdBy: ADMIN, expiresAt: null });
    const actions = await import("./actions");
    const { DEMO_CASES } = await import("../../emulator/fixtures/demo");
    const before = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as Stats;
    const attempts: [string, () => Promise<unknown>][] = [
      ["connection.delete", () => actions.deleteStaleConnection(DEMO_CASES.legacyPending.uuid)],
      ["host.setup", () => actions.setupHost(DEMO_CASES.pendingHost.id)],
      ["connection.resume", () => actions.resumeConnection(DEMO_CASES.legacyPending.uuid)],
      ["pipeline.release", () => actions.releasePipeline("111111111111", "us-east-1", DEMO_PIPELINE_CASES.healthyV2.name)],
      ["pipelines.sweep", () => actions.sweepNow("100")],
    ];
    for (const [action, attempt] of attempts) {
      await expect(attempt(), action).rejects.toMatchObject({ kind: "forbidden", message: "admins only" });
      const refused = (await getStore().audit.list({ action, outcome: "refused" }, { limit: 10, offset: 0 })).records;
      expect(refused, action).toEqual([expect.objectContaining({ actor: "token:reader", actorRole: "viewer", via: "token", detail: "role viewer" })]);
    }
    // Nothing reached AWS.
    const after = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as Stats;
    expect(after).toEqual(before);
  });
});
