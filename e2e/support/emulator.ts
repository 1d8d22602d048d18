import { CodeStarConnectionsClient, GetConnectionCommand, paginateListConnections, type Connection } from "@aws-sdk/client-codestar-connections";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DEMO_REGIONS, DEMO_ROLE_ARN } from "../../scripts/demo-env.mjs";
import { EMULATOR_URL } from "./ports";

/** The emulator the e2e web server started (playwright.config.ts). */
export { EMULATOR_URL };

export type FixtureName = "demo" | "large" | "org" | "empty";

/** A fault rule of `POST /_emulator/faults` (emulator/BEHAVIOR.md). */
export interface FaultRule {
  service: string;
  operation?: string;
  error: string;
}

export interface PipelineRef {
  account: string;
  region: string;
  name: string;
}

/** What `POST /_emulator/pushes` answers, plus when the test sent it and had the answer. */
export interface PushAnswer {
  sha: string;
  deliveryId: string;
  delivered: number | null;
  pushedAt: string;
  /** Outcome `start` only. */
  startTime?: string;
  delayMs?: number;
  /** Client clock (same machine as the app) just before the request and just after the answer. */
  sentAtMs: number;
  answeredAtMs: number;
}

const dummy = { accessKeyId: "e2e", secretAccessKey: "e2e" };

/** What a notification sink recorded (`GET /_emulator/sinks/<name>`, emulator/BEHAVIOR.md §5). */
export interface SinkDelivery {
  seq: number;
  at: string;
  headers: Record<string, string>;
  contentType: string | null;
  body: string;
  /** What the sink answered: 200, or a failure it was told to answer. */
  answered: number;
}

async function control(method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(`${EMULATOR_URL}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

/**
 * The emulator's control API and its AWS API read with the real SDK: what the specs use to set up
 * AWS's side of a story and to check it independently of Tether.
 */
export class EmulatorControl {
  readonly url = EMULATOR_URL;
  private faultsSet = false;

  /** Replaces all state with the fixture (and clears faults and counters). */
  async seed(fixture: FixtureName = "demo"): Promise<void> {
    await control("POST", "/_emulator/seed", { fixture });
    this.faultsSet = false;
  }

  /** Completes or denies a PENDING connection's handshake, as its owner would on the provider. */
  async handshake(uuid: string, outcome: "complete" | "deny"): Promise<{ status: string }> {
    return (await control("POST", `/_emulator/connections/${uuid}/handshake`, { outcome })).json() as Promise<{ status: string }>;
  }

  async health(): Promise<{ status: string; fixture: string }> {
    return (await control("GET", "/_emulator/health")).json() as Promise<{ status: string; fixture: string }>;
  }

  /** Makes matching AWS calls fail; the fixture clears the faults after the test. */
  async fault(rule: FaultRule): Promise<void> {
    await control("POST", "/_emulator/faults", rule);
    this.faultsSet = true;
  }

  async clearFaults(): Promise<void> {
    await control("DELETE", "/_emulator/faults");
    this.faultsSet = false;
  }

  /** Whether a fault set by this test may still be active. */
  get hasFaults(): boolean {
    return this.faultsSet;
  }

  /** A push to the pipeline's source branch, delivered to the app as the provider's webhook. */
  async push(pipeline: PipelineRef, outcome: "start" | "drop", delayMs?: number): Promise<PushAnswer> {
    const sentAtMs = Date.now();
    const res = await control("POST", "/_emulator/pushes", { account: pipeline.account, region: pipeline.region, pipeline: pipeline.name, outcome, ...(delayMs === undefined ? {} : { delayMs }) });
    const answeredAtMs = Date.now();
    return { ...((await res.json()) as Omit<PushAnswer, "sentAtMs" | "answeredAtMs">), sentAtMs, answeredAtMs };
  }

  /** What AWS does on its own: any status for a connection (`POST /_emulator/connections/<uuid>/status`). */
  async setConnectionStatus(uuid: string, status: "AVAILABLE" | "ERROR" | "PENDING"): Promise<void> {
    await control("POST", `/_emulator/connections/${uuid}/status`, { status });
  }

  /** Everything a notification sink received since the seed, oldest first. */
  async sink(name: string): Promise<SinkDelivery[]> {
    return ((await (await control("GET", `/_emulator/sinks/${name}`)).json()) as { deliveries: SinkDelivery[] }).deliveries;
  }

  /** The sink's next `count` deliveries whose body contains `match` are answered `status`. */
  async failSink(name: string, failure: { status: number; count: number; match?: string }): Promise<void> {
    await control("POST", `/_emulator/sinks/${name}/fail`, failure);
  }

  /** How many times each AWS operation was called since the seed. */
  async calls(service: string, operation: string): Promise<number> {
    const stats = (await (await control("GET", "/_emulator/stats")).json()) as { calls: Record<string, Record<string, number>> };
    return stats.calls[service]?.[operation] ?? 0;
  }

  /** A connection's status as AWS reports it (GetConnection with the real SDK). */
  async connectionStatus(arn: string): Promise<string | undefined> {
    const client = new CodeStarConnectionsClient({ region: "us-east-1", endpoint: EMULATOR_URL, credentials: dummy });
    return (await client.send(new GetConnectionCommand({ ConnectionArn: arn }))).Connection?.ConnectionStatus;
  }

  /**
   * Every connection of the two demo accounts, read with the real SDK through each of the three
   * demo Regions. Connections are account-global, so every Region's listing holds the account's
   * connections of all home Regions: `perRegion` has each connection three times, `distinct` once.
   */
  async demoConnections(): Promise<{ distinct: Connection[]; perRegion: Connection[] }> {
    const sts = new STSClient({ region: "us-east-1", endpoint: EMULATOR_URL, credentials: dummy });
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: DEMO_ROLE_ARN, RoleSessionName: "e2e" }));
    const c = assumed.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error("AssumeRole gave no credentials");
    const roleCreds = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
    const perRegion: Connection[] = [];
    for (const credentials of [dummy, roleCreds]) {
      for (const region of DEMO_REGIONS) {
        const client = new CodeStarConnectionsClient({ region, endpoint: EMULATOR_URL, credentials });
        for await (const page of paginateListConnections({ client, pageSize: 100 }, {})) perRegion.push(...(page.Connections ?? []));
      }
    }
    const distinct = [...new Map(perRegion.map((x) => [x.ConnectionArn, x])).values()];
    return { distinct, perRegion };
  }
}
