import { paginateListConnections, CodeStarConnectionsClient, type Connection } from "@aws-sdk/client-codestar-connections";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DEMO_REGIONS, DEMO_ROLE_ARN } from "../../scripts/demo-env.mjs";

import { EMULATOR_URL } from "./ports";

/** The emulator the e2e web server started (playwright.config.ts). */
export { EMULATOR_URL };

export async function seed(fixture: "demo" | "large" = "demo"): Promise<void> {
  const res = await fetch(`${EMULATOR_URL}/_emulator/seed`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fixture }) });
  if (!res.ok) throw new Error(`seed failed: ${res.status} ${await res.text()}`);
}

const dummy = { accessKeyId: "e2e", secretAccessKey: "e2e" };

/**
 * Every connection of the two demo accounts, read straight from the emulator with the real SDK,
 * through each of the three demo Regions. Connections are account-global, so every Region's
 * listing holds the account's connections of all home Regions: `perRegion` has each connection
 * three times, `distinct` once.
 */
export async function listDemoConnections(): Promise<{ distinct: Connection[]; perRegion: Connection[] }> {
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
