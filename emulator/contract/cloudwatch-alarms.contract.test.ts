import { DeleteAlarmsCommand, DescribeAlarmsCommand, paginateDescribeAlarms, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import type { RunningEmulator } from "../server";
import { cloudWatchClient, fakeAuthorization, rawQuery, rejection, emulatorPerFile } from "./helpers";

let emulator: RunningEmulator;

emulatorPerFile("empty", (e) => (emulator = e));

const cw = (region = "us-east-1") => cloudWatchClient(emulator, { region });
const TOPIC = "arn:aws:sns:us-east-1:111111111111:tether-alarms";
const alarm = (name: string, over: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName: name,
  Namespace: "Tether",
  MetricName: "Heartbeat",
  Statistic: "Sum",
  Period: 60,
  EvaluationPeriods: 3,
  Threshold: 1,
  ComparisonOperator: "LessThanThreshold",
  TreatMissingData: "breaching",
  AlarmActions: [TOPIC],
  ...over,
});

describe("PutMetricAlarm, DescribeAlarms, DeleteAlarms (JSON)", () => {
  it("stores an alarm as given, INSUFFICIENT_DATA, and describes it", async () => {
    await cw().send(new PutMetricAlarmCommand(alarm("tether-heartbeat", { AlarmDescription: "Tether is down", DatapointsToAlarm: 2, OKActions: [TOPIC] })));
    const out = await cw().send(new DescribeAlarmsCommand({ AlarmNames: ["tether-heartbeat"] }));
    expect(out.CompositeAlarms).toEqual([]);
    expect(out.MetricAlarms).toHaveLength(1);
    const a = out.MetricAlarms?.[0];
    expect(a).toMatchObject({
      AlarmName: "tether-heartbeat",
      AlarmArn: expect.stringMatching(/^arn:aws:cloudwatch:us-east-1:\d{12}:alarm:tether-heartbeat$/),
      AlarmDescription: "Tether is down",
      ActionsEnabled: true,
      AlarmActions: [TOPIC],
      OKActions: [TOPIC],
      InsufficientDataActions: [],
      StateValue: "INSUFFICIENT_DATA",
      StateReason: "Unchecked: Initial alarm creation",
      MetricName: "Heartbeat",
      Namespace: "Tether",
      Statistic: "Sum",
      Dimensions: [],
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: "LessThanThreshold",
      TreatMissingData: "breaching",
    });
    expect(a?.StateUpdatedTimestamp).toBeInstanceOf(Date);
    expect(Math.abs((a?.AlarmConfigurationUpdatedTimestamp?.getTime() ?? 0) - Date.now())).toBeLessThan(5_000);
    // Another Region has its own alarms.
    expect((await cw("eu-west-1").send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });

  it("replaces an alarm of the same name; metric math and percentiles are stored", async () => {
    await cw().send(new PutMetricAlarmCommand(alarm("latency")));
    await cw().send(new PutMetricAlarmCommand(alarm("latency", { MetricName: "PushToPipelineStartLatency", Statistic: undefined, ExtendedStatistic: "p90", Threshold: 60000, ComparisonOperator: "GreaterThanThreshold", Unit: "Milliseconds" })));
    await cw().send(
      new PutMetricAlarmCommand({
        AlarmName: "math",
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: "GreaterThanThreshold",
        Metrics: [
          { Id: "m", MetricStat: { Metric: { Namespace: "Tether", MetricName: "MissedTrigger" }, Period: 300, Stat: "Sum" }, ReturnData: false },
          { Id: "e", Expression: "FILL(m, 0)", Label: "missed", ReturnData: true },
        ],
      }),
    );
    const [latency, math] = (await cw().send(new DescribeAlarmsCommand({}))).MetricAlarms?.sort((x, y) => (x.AlarmName ?? "").localeCompare(y.AlarmName ?? "")) ?? [];
    expect(latency).toMatchObject({ MetricName: "PushToPipelineStartLatency", ExtendedStatistic: "p90", Threshold: 60000, Unit: "Milliseconds" });
    expect(latency?.Statistic).toBeUndefined();
    expect(math?.Metrics).toEqual([
      { Id: "m", MetricStat: { Metric: { Namespace: "Tether", MetricName: "MissedTrigger", Dimensions: [] }, Period: 300, Stat: "Sum" }, ReturnData: false },
      { Id: "e", Expression: "FILL(m, 0)", Label: "missed", ReturnData: true },
    ]);
  });

  it("refuses what AWS refuses, naming the parameter", async () => {
    const cases: [Partial<PutMetricAlarmCommandInput>, string, RegExp][] = [
      [{ ComparisonOperator: undefined }, "MissingParameter", /ComparisonOperator is required/],
      [{ Statistic: undefined }, "InvalidParameterCombination", /Exactly one of Statistic or ExtendedStatistic/],
      [{ ExtendedStatistic: "p90" }, "InvalidParameterCombination", /Exactly one of Statistic or ExtendedStatistic/],
      [{ Period: 45 }, "InvalidParameterValue", /Period must be 10, 20, 30 or a multiple of 60/],
      [{ Period: 86_400, EvaluationPeriods: 8 }, "InvalidParameterValue", /604800/],
      [{ DatapointsToAlarm: 4 }, "InvalidParameterValue", /DatapointsToAlarm/],
      [{ Threshold: undefined }, "MissingParameter", /Threshold is required/],
      [{ TreatMissingData: "sometimes" }, "InvalidParameterValue", /TreatMissingData/],
      [{ AlarmActions: ["not-an-arn"] }, "InvalidParameterValue", /Invalid arn syntax/],
      [{ Metrics: [{ Id: "e", Expression: "1", ReturnData: true }] }, "InvalidParameterCombination", /MetricName and Metrics/],
    ];
    for (const [over, code, message] of cases) {
      const e = await rejection(cw().send(new PutMetricAlarmCommand(alarm("bad", over as PutMetricAlarmCommandInput))));
      const shape = { MissingParameter: "MissingRequiredParameterException", InvalidParameterCombination: "InvalidParameterCombinationException", InvalidParameterValue: "InvalidParameterValueException" }[code];
      expect([e.name, e.$metadata.httpStatusCode]).toEqual([shape, 400]);
      expect(e.message).toMatch(message);
    }
    expect((await cw().send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });

  it("filters by names, prefix, state and action prefix, and pages with MaxRecords and NextToken", async () => {
    for (let i = 0; i < 7; i++) await cw().send(new PutMetricAlarmCommand(alarm(`tether-${i}`, i === 3 ? { AlarmActions: ["arn:aws:sns:us-east-1:111111111111:other"] } : {})));
    await cw().send(new PutMetricAlarmCommand(alarm("zz-other")));
    expect((await cw().send(new DescribeAlarmsCommand({ AlarmNamePrefix: "tether-" }))).MetricAlarms).toHaveLength(7);
    expect((await cw().send(new DescribeAlarmsCommand({ AlarmNames: ["tether-1", "zz-other", "nope"] }))).MetricAlarms?.map((a) => a.AlarmName)).toEqual(["tether-1", "zz-other"]);
    expect((await cw().send(new DescribeAlarmsCommand({ StateValue: "ALARM" }))).MetricAlarms).toEqual([]);
    expect((await cw().send(new DescribeAlarmsCommand({ StateValue: "INSUFFICIENT_DATA" }))).MetricAlarms).toHaveLength(8);
    expect((await cw().send(new DescribeAlarmsCommand({ ActionPrefix: "arn:aws:sns:us-east-1:111111111111:other" }))).MetricAlarms?.map((a) => a.AlarmName)).toEqual(["tether-3"]);
    expect((await cw().send(new DescribeAlarmsCommand({ AlarmTypes: ["CompositeAlarm"] }))).MetricAlarms).toEqual([]);
    const first = await cw().send(new DescribeAlarmsCommand({ MaxRecords: 3 }));
    expect(first.MetricAlarms?.map((a) => a.AlarmName)).toEqual(["tether-0", "tether-1", "tether-2"]);
    expect(first.NextToken).toBeTruthy();
    const names: string[] = [];
    for await (const page of paginateDescribeAlarms({ client: cw(), pageSize: 3 }, {})) names.push(...(page.MetricAlarms ?? []).map((a) => a.AlarmName ?? ""));
    expect(names).toEqual(["tether-0", "tether-1", "tether-2", "tether-3", "tether-4", "tether-5", "tether-6", "zz-other"]);
    const both = await rejection(cw().send(new DescribeAlarmsCommand({ AlarmNames: ["a"], AlarmNamePrefix: "a" })));
    expect(both.name).toBe("InvalidParameterCombinationException");
    const badToken = await rejection(cw().send(new DescribeAlarmsCommand({ NextToken: "garbage" })));
    expect(badToken.message).toMatch(/NextToken/);
    const tooMany = await rejection(cw().send(new DescribeAlarmsCommand({ MaxRecords: 101 })));
    expect(tooMany.message).toMatch(/MaxRecords/);
  });

  it("deletes named alarms; unknown names are not an error", async () => {
    await cw().send(new PutMetricAlarmCommand(alarm("a")));
    await cw().send(new PutMetricAlarmCommand(alarm("b")));
    await cw().send(new DeleteAlarmsCommand({ AlarmNames: ["a", "never-existed"] }));
    expect((await cw().send(new DescribeAlarmsCommand({}))).MetricAlarms?.map((x) => x.AlarmName)).toEqual(["b"]);
    const none = await rejection(cw().send(new DeleteAlarmsCommand({ AlarmNames: undefined as unknown as string[] })));
    expect(none.message).toMatch(/AlarmNames is required/);
    const tooMany = await rejection(cw().send(new DeleteAlarmsCommand({ AlarmNames: Array.from({ length: 101 }, (_, i) => `x${i}`) })));
    expect(tooMany.message).toMatch(/greater than 100/);
  });
});

describe("the same operations in the query protocol", () => {
  const form = (params: Record<string, string>) => new URLSearchParams({ Version: "2010-08-01", ...params }).toString();
  const monitoring = fakeAuthorization("monitoring");

  it("puts, describes and deletes with forms, XML out", async () => {
    const put = await rawQuery(emulator, {
      authorization: monitoring,
      form: form({
        Action: "PutMetricAlarm",
        AlarmName: "q-latency",
        Namespace: "Tether",
        MetricName: "PushToPipelineStartLatency",
        ExtendedStatistic: "p90",
        Period: "300",
        EvaluationPeriods: "2",
        Threshold: "60000",
        ComparisonOperator: "GreaterThanThreshold",
        TreatMissingData: "notBreaching",
        "AlarmActions.member.1": TOPIC,
        "Dimensions.member.1.Name": "Provider",
        "Dimensions.member.1.Value": "GitHub",
      }),
    });
    expect(put.status).toBe(200);
    expect(put.text).toContain("<PutMetricAlarmResponse");
    const described = await rawQuery(emulator, { authorization: monitoring, form: form({ Action: "DescribeAlarms", "AlarmNames.member.1": "q-latency" }) });
    expect(described.status).toBe(200);
    expect(described.text).toContain("<AlarmName>q-latency</AlarmName>");
    expect(described.text).toContain(`<AlarmActions><member>${TOPIC}</member></AlarmActions>`);
    expect(described.text).toContain("<Dimensions><member><Name>Provider</Name><Value>GitHub</Value></member></Dimensions>");
    expect(described.text).toContain("<StateValue>INSUFFICIENT_DATA</StateValue>");
    expect(described.text).toContain("<ExtendedStatistic>p90</ExtendedStatistic>");
    const bad = await rawQuery(emulator, { authorization: monitoring, form: form({ Action: "PutMetricAlarm", AlarmName: "x", EvaluationPeriods: "1" }) });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("<Code>MissingParameter</Code>");
    const del = await rawQuery(emulator, { authorization: monitoring, form: form({ Action: "DeleteAlarms", "AlarmNames.member.1": "q-latency" }) });
    expect(del.status).toBe(200);
    expect((await cw().send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });
});
