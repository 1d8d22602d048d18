import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";

// The deploy kit must let Tether make every AWS call its code makes, under both connection action
// prefixes, and nothing an operator did not opt into. The calls are read from lib/aws itself, so
// a new SDK command without a policy line fails here rather than as AccessDenied in production.

const root = path.resolve(__dirname, "..");
const read = (p: string) => readFileSync(path.join(root, p), "utf8");

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}
const statements = (file: string) => (JSON.parse(read(file)) as { Version: string; Statement: Statement[] }).Statement;
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const allowed = (file: string) => new Set(statements(file).flatMap(actions));

/** IAM actions of the SDK operations lib/aws sends (commands and paginators). */
function actionsCalledByTether(): { reads: string[]; operator: string[]; events: string[]; discovery: string[] } {
  const dir = path.join(root, "lib/aws");
  const source = readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => readFileSync(path.join(dir, f), "utf8"))
    .join("\n");
  const ops = new Set<string>();
  for (const m of source.matchAll(/new (\w+)Command\(/g)) ops.add(m[1] as string);
  for (const m of source.matchAll(/paginate(\w+)\(/g)) ops.add(m[1] as string);
  const service: Record<string, string[]> = {};
  const connections = ["ListConnections", "GetConnection", "ListHosts", "GetHost", "ListTagsForResource", "DeleteConnection"];
  const pipelines = ["ListPipelines", "GetPipeline", "GetPipelineState", "ListPipelineExecutions", "GetPipelineExecution", "StartPipelineExecution"];
  const cloudwatch = ["GetMetricData", "PutMetricData", "ListMetrics"];
  const sts = ["AssumeRole", "GetCallerIdentity"];
  const events = ["PutEvents"];
  // Organization discovery, from the management account or a delegated administrator.
  const organizations = ["DescribeOrganization", "ListAccounts", "ListAccountsForParent", "ListRoots", "ListOrganizationalUnitsForParent"];
  const discovery: string[] = [];
  for (const op of ops) {
    if (organizations.includes(op)) discovery.push(`organizations:${op}`);
    else if (op === "ListRegions") discovery.push("account:ListRegions");
    else if (connections.includes(op)) service[op] = [`codestar-connections:${op}`, `codeconnections:${op}`];
    else if (pipelines.includes(op)) service[op] = [`codepipeline:${op}`];
    else if (cloudwatch.includes(op)) service[op] = [`cloudwatch:${op}`];
    else if (events.includes(op)) service[op] = [`events:${op}`];
    else if (!sts.includes(op)) throw new Error(`lib/aws calls ${op}: add it to this test's service table and to deploy/iam`);
  }
  const operatorOps = new Set(["StartPipelineExecution", "DeleteConnection"]);
  const all = Object.entries(service);
  const eventOps = new Set(events);
  return {
    reads: all.filter(([op]) => !operatorOps.has(op) && !eventOps.has(op)).flatMap(([, a]) => a),
    operator: all.filter(([op]) => operatorOps.has(op)).flatMap(([, a]) => a),
    events: all.filter(([op]) => eventOps.has(op)).flatMap(([, a]) => a),
    discovery,
  };
}

describe("deploy/iam", () => {
  const called = actionsCalledByTether();

  test("Tether's calls were found (the scan works)", () => {
    expect(called.reads).toEqual(expect.arrayContaining(["codestar-connections:ListConnections", "codeconnections:ListConnections", "codepipeline:GetPipelineExecution", "cloudwatch:GetMetricData", "cloudwatch:PutMetricData"]));
    expect(called.operator).toEqual(expect.arrayContaining(["codepipeline:StartPipelineExecution", "codestar-connections:DeleteConnection", "codeconnections:DeleteConnection"]));
  });

  test("the read-only policy allows every read Tether makes, under both connection prefixes, and no operator action", () => {
    const readOnly = allowed("deploy/iam/tether-readonly-policy.json");
    for (const a of called.reads) expect(readOnly, a).toContain(a);
    for (const a of called.operator) expect(readOnly, a).not.toContain(a);
    expect([...readOnly].some((a) => a.includes("*"))).toBe(false);
    expect(statements("deploy/iam/tether-readonly-policy.json").every((s) => s.Effect === "Allow")).toBe(true);
  });

  test("PutMetricData only for Tether's namespace", () => {
    const put = statements("deploy/iam/tether-readonly-policy.json").filter((s) => actions(s).includes("cloudwatch:PutMetricData"));
    expect(put).toHaveLength(1);
    expect(actions(put[0] as Statement)).toEqual(["cloudwatch:PutMetricData"]);
    expect(put[0]?.Condition).toEqual({ StringEquals: { "cloudwatch:namespace": "Tether" } });
  });

  test("the operator policy holds exactly the operator actions, scoped to pipeline and connection ARNs of both prefixes", () => {
    const operator = statements("deploy/iam/tether-operator-policy.json");
    expect(new Set(operator.flatMap(actions))).toEqual(new Set(called.operator));
    const resources = operator.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    expect(resources).not.toContain("*");
    expect(resources).toEqual(expect.arrayContaining(["arn:aws:codestar-connections:*:*:connection/*", "arn:aws:codeconnections:*:*:connection/*"]));
  });

  test("the event bus policy holds exactly PutEvents, for Tether's source only; the read-only policy does not", () => {
    expect(called.events).toEqual(["events:PutEvents"]);
    const events = statements("deploy/iam/tether-events-policy.json");
    expect(new Set(events.flatMap(actions))).toEqual(new Set(called.events));
    expect(events[0]?.Condition).toEqual({ StringEquals: { "events:source": "tether" } });
    expect(allowed("deploy/iam/tether-readonly-policy.json")).not.toContain("events:PutEvents");
  });

  test("the CloudFormation role grants the same actions as the JSON policies", () => {
    const template = read("deploy/iam/tether-role.yaml");
    expect(template).toMatch(/events:source: tether/);
    for (const a of [...called.reads, ...called.operator, ...called.events]) expect(template, a).toMatch(new RegExp(`[\\s\\[,]${a.replace(/[-:]/g, (c) => `\\${c}`)}[\\s\\],]`));
    expect(template).toContain("cloudwatch:namespace: !Ref MetricsNamespace");
  });
});

describe("organization discovery (deploy/iam/tether-discovery-policy.json, deploy/org)", () => {
  const called = actionsCalledByTether();
  const policy = statements("deploy/iam/tether-discovery-policy.json");

  test("the discovery policy allows exactly the Organizations and Account reads Tether makes, and AssumeRole only on the member role", () => {
    expect(called.discovery).toEqual(expect.arrayContaining(["organizations:ListAccounts", "organizations:ListAccountsForParent", "organizations:DescribeOrganization", "account:ListRegions"]));
    const granted = new Set(policy.flatMap(actions));
    expect(new Set([...granted].filter((a) => !a.startsWith("sts:")))).toEqual(new Set(called.discovery));
    const assume = policy.filter((s) => actions(s).includes("sts:AssumeRole"));
    expect(assume).toHaveLength(1);
    expect(assume[0]?.Resource).toBe("arn:aws:iam::*:role/TetherReadOnly");
    expect(policy.every((s) => s.Effect === "Allow")).toBe(true);
  });

  test("the management-account role grants the same reads as the policy file", () => {
    const template = read("deploy/org/tether-discovery-role.yaml");
    for (const a of called.discovery) expect(template, a).toMatch(new RegExp(`[\\s\\[,]${a.replace(/[-:]/g, (c) => `\\${c}`)}[\\s\\],]`));
    expect(template).not.toMatch(/organizations:(Create|Delete|Move|Remove|Invite|Leave|Update|Attach|Detach|Enable|Disable)/);
  });

  test("the StackSet is service-managed, deploys to new accounts by itself, and deploys tether-role.yaml (the one source of the member role's policy)", () => {
    const template = read("deploy/org/tether-stackset.yaml");
    expect(template).toMatch(/Type: AWS::CloudFormation::StackSet/);
    expect(template).toMatch(/PermissionModel: SERVICE_MANAGED/);
    expect(template).toMatch(/AutoDeployment:\s*\n\s*Enabled: true/);
    expect(template).toMatch(/TemplateURL: !Ref RoleTemplateUrl/);
    expect(template).toContain("deploy/iam/tether-role.yaml");
    expect(template).toMatch(/CAPABILITY_NAMED_IAM/);
    // Every parameter it passes is one tether-role.yaml declares.
    const role = read("deploy/iam/tether-role.yaml");
    for (const m of template.matchAll(/ParameterKey: (\w+)/g)) expect(role, m[1]).toMatch(new RegExp(`^  ${m[1]}:`, "m"));
    expect(role).toMatch(/Default: TetherReadOnly/);
  });
});

describe("deploy/eventbridge-to-tether.yaml", () => {
  const template = read("deploy/eventbridge-to-tether.yaml");

  test("matches STARTED pipeline executions and posts them with the API key header", () => {
    expect(template).toContain("aws.codepipeline");
    expect(template).toContain("CodePipeline Pipeline Execution State Change");
    expect(template).toMatch(/state:\s*\[?\s*"?STARTED/);
    expect(template).toContain("x-tether-api-key");
    expect(template).toContain("/api/events/codepipeline");
    expect(template).toMatch(/AWS::Events::ApiDestination/);
    expect(template).toMatch(/AWS::Events::Connection/);
  });
});
