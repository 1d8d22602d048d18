import { readFileSync } from "node:fs";
import path from "node:path";
import { CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmsCommand, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "../emulator/server";
import { METRIC } from "../lib/latency/batch";
import { parseCfnYaml, type Yaml } from "./cfn-yaml";

/**
 * deploy/tether-alarms.yaml: the template parses, watches the metrics Tether publishes under the
 * names it publishes them, and its alarm definitions — CloudFormation's properties are
 * PutMetricAlarm's input — are accepted by CloudWatch (the emulator, through the real SDK) and
 * read back by DescribeAlarms as written.
 */

type Map = Record<string, Yaml>;
const template = parseCfnYaml(readFileSync(path.join(__dirname, "tether-alarms.yaml"), "utf8")) as Map;
const STACK = "tether-alarms";
const TOPIC = "arn:aws:sns:us-east-1:111111111111:tether-oncall";

/** Parameters as a deployment gives them: the topic, the others' defaults. */
const parameters: Record<string, Yaml> = Object.fromEntries(Object.entries(template.Parameters as Map).map(([name, p]) => [name, (p as Map).Default ?? null]));
parameters.AlarmTopicArn = TOPIC;

/** Ref to a parameter or the stack's pseudo parameters; Fn::Sub of them. */
function resolve(v: Yaml): Yaml {
  if (Array.isArray(v)) return v.map(resolve);
  if (v && typeof v === "object") {
    if ("Ref" in v) {
      const name = v.Ref as string;
      if (name === "AWS::StackName") return STACK;
      if (!(name in parameters)) throw new Error(`Ref to ${name}: not a parameter`);
      return parameters[name] as Yaml;
    }
    if ("Fn::Sub" in v) return (v["Fn::Sub"] as string).replace(/\$\{([^}]+)\}/g, (_, name: string) => String(resolve({ Ref: name })));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
  }
  return v;
}

const alarms = Object.entries(template.Resources as Map)
  .filter(([, r]) => (r as Map).Type === "AWS::CloudWatch::Alarm")
  .map(([logicalId, r]) => ({ logicalId, input: resolve((r as Map).Properties as Yaml) as unknown as PutMetricAlarmCommandInput }));
const byId = (id: string) => alarms.find((a) => a.logicalId === id)?.input as PutMetricAlarmCommandInput;

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixture: "empty" });
});
afterAll(() => emulator.close());

describe("deploy/tether-alarms.yaml", () => {
  test("a template with the SNS topic as a parameter and three alarms on Tether's own metrics", () => {
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect(Object.keys(template.Parameters as Map)).toEqual(expect.arrayContaining(["AlarmTopicArn", "MetricsNamespace", "LatencySloSeconds"]));
    expect(((template.Parameters as Map).MetricsNamespace as Map).Default).toBe("Tether");
    expect(alarms.map((a) => a.logicalId)).toEqual(["HeartbeatMissing", "LatencyOverSlo", "MissedTriggers"]);
    for (const { input } of alarms) expect(input.AlarmActions).toEqual([TOPIC]);
  });

  test("heartbeat missing: Tether's Heartbeat, no dimension, missing data breaching", () => {
    const a = byId("HeartbeatMissing");
    expect(a).toMatchObject({ Namespace: "Tether", MetricName: METRIC.heartbeat, Period: 60, Threshold: 1, ComparisonOperator: "LessThanThreshold", TreatMissingData: "breaching", EvaluationPeriods: 5 });
    expect(a.Dimensions).toBeUndefined();
  });

  test("latency: the fleet-wide p90 of PushToPipelineStartLatency (ms) in seconds, over the SLO parameter; missed triggers: their sum", () => {
    const a = byId("LatencyOverSlo");
    expect(a.Threshold).toBe(60);
    expect(a.Metrics?.[0]?.MetricStat).toMatchObject({ Metric: { Namespace: "Tether", MetricName: METRIC.latency }, Stat: "p90" });
    expect(a.Metrics?.[0]?.MetricStat?.Metric?.Dimensions).toBeUndefined();
    expect(a.Metrics?.[1]).toMatchObject({ Expression: "p90ms / 1000", ReturnData: true });
    expect(byId("MissedTriggers")).toMatchObject({ MetricName: METRIC.missed, Statistic: "Sum", ComparisonOperator: "GreaterThanOrEqualToThreshold", TreatMissingData: "notBreaching" });
  });

  test("CloudWatch accepts every alarm definition through the SDK, and DescribeAlarms reads them back as written", async () => {
    const cw = new CloudWatchClient({ region: "us-east-1", endpoint: emulator.url, credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
    for (const { input } of alarms) await cw.send(new PutMetricAlarmCommand(input));
    const described = (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: `${STACK}-` }))).MetricAlarms ?? [];
    expect(described.map((a) => a.AlarmName)).toEqual([`${STACK}-heartbeat-missing`, `${STACK}-latency-over-slo`, `${STACK}-missed-triggers`]);
    for (const { input } of alarms) {
      const a = described.find((d) => d.AlarmName === input.AlarmName);
      expect(a).toMatchObject({
        AlarmDescription: input.AlarmDescription,
        AlarmActions: input.AlarmActions,
        OKActions: input.OKActions ?? [],
        EvaluationPeriods: input.EvaluationPeriods,
        Threshold: input.Threshold,
        ComparisonOperator: input.ComparisonOperator,
        TreatMissingData: input.TreatMissingData,
        StateValue: "INSUFFICIENT_DATA",
      });
    }
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: alarms.map((a) => a.input.AlarmName as string) }));
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });

  test("the reader refuses YAML outside its subset, naming the line", () => {
    expect(() => parseCfnYaml("a: 1\nb: &anchor 2\n")).toThrow(/line 2/);
    expect(() => parseCfnYaml("a: !If [x, y]\n")).toThrow(/line 1/);
    expect(parseCfnYaml("a:\n  - !Ref X\n  - k: v\n    j: [1, two]\nb: >\n  folded\n  text\n")).toEqual({ a: [{ Ref: "X" }, { k: "v", j: [1, "two"] }], b: "folded text\n" });
  });
});
