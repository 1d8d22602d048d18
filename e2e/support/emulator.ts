import { paginateListConnections, CodeStarConnectionsClient, type Connection } from "@aws-sdk/client-codestar-connections";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DEMO_REGIONS, DEMO_ROLE_ARN, DEMO_ACCOUNTS } from "../../scripts/demo-env.mjs";

import { EMULATOR_URL } from "./ports";

/** The emulator the e2e web server started (playwright.config.ts). */
export { EMULATOR_URL };

export async function seed(fixture: "demo" | "large" = "demo"): Promise<void> {
  const res = await fetch(`${EMULATOR_URL}/_emulator/seed`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fixture }) });
  if (!res.ok) throw new Error(`seed failed: ${res.status} ${await res.text()}`);
}

const dummy = { accessKeyId: "e2e", secretAccessKey: "e2e" };

/** Every connection of the six demo scopes, read straight from the emulator with the real SDK. */
export async function listDemoConnections(): Promise<Connection[]> {
  const sts = new STSClient({ region: "us-east-1", endpoint: EMULATOR_URL, credentials: dummy });
  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: DEMO_ROLE_ARN, RoleSessionName: "e2e" }));
  const c = assumed.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error("AssumeRole gave no credentials");
  const roleCreds = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  const out: Connection[] = [];
  for (const [account, credentials] of [
    [DEMO_ACCOUNTS.primary, dummy],
    [DEMO_ACCOUNTS.assumed, roleCreds],
  ] as const) {
    for (const region of DEMO_REGIONS) {
      const client = new CodeStarConnectionsClient({ region, endpoint: EMULATOR_URL, credentials });
      for await (const page of paginateListConnections({ client, pageSize: 100 }, {})) out.push(...(page.Connections ?? []));
      void account;
    }
  }
  return out;
}
