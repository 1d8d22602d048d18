import { PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { describe, expect, it } from "vitest";
import type { RunningEmulator } from "../server";
import { control, eventBridgeClient, fakeAuthorization, rawJson, rejection, emulatorPerFile } from "./helpers";

let emulator: RunningEmulator;

emulatorPerFile("empty", (e) => (emulator = e));

const eb = (region = "us-east-1") => eventBridgeClient(emulator, { region });
const entry = (over: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({ Source: "tether", DetailType: "Contract", Detail: JSON.stringify({ n: 1 }), ...over });
const received = async (name: string) => (await control(emulator, "GET", `/_emulator/event-buses/${name}/events`)).json as { events: { eventBusArn: string; event: Record<string, unknown> }[]; failing: unknown };

describe("PutEvents", () => {
  it("puts events on the default bus, a named bus and a bus given by ARN, as EventBridge delivers them", async () => {
    const time = new Date("2026-11-25T12:00:00Z");
    const out = await eb("eu-west-1").send(
      new PutEventsCommand({
        Entries: [
          entry({ Resources: ["arn:aws:codeconnections:us-east-1:111111111111:connection/x"], Time: time }),
          entry({ EventBusName: "ops" }),
          entry({ EventBusName: "arn:aws:events:us-east-1:222222222222:event-bus/ops", Detail: '{"a":[1,2]}' }),
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries).toHaveLength(3);
    for (const e of out.Entries ?? []) expect(e.EventId).toMatch(/^[0-9a-f-]{36}$/);

    const def = await received("default");
    expect(def.events).toHaveLength(1);
    expect(def.events[0]?.eventBusArn).toBe("arn:aws:events:eu-west-1:000000000000:event-bus/default".replace("000000000000", def.events[0]?.event.account as string));
    expect(def.events[0]?.event).toMatchObject({
      version: "0",
      id: out.Entries?.[0]?.EventId,
      "detail-type": "Contract",
      source: "tether",
      region: "eu-west-1",
      time: "2026-11-25T12:00:00Z",
      resources: ["arn:aws:codeconnections:us-east-1:111111111111:connection/x"],
      detail: { n: 1 },
    });
    const ops = await received("ops");
    expect(ops.events.map((e) => [e.eventBusArn, e.event.region, e.event.detail])).toEqual([
      [expect.stringMatching(/^arn:aws:events:eu-west-1:\d{12}:event-bus\/ops$/), "eu-west-1", { n: 1 }],
      ["arn:aws:events:us-east-1:222222222222:event-bus/ops", "us-east-1", { a: [1, 2] }],
    ]);
  });

  it("answers each entry in its place: missing members, malformed Detail and aws. sources fail, the rest are put", async () => {
    const out = await eb().send(
      new PutEventsCommand({
        Entries: [
          entry({ Source: undefined }),
          entry(),
          entry({ DetailType: undefined }),
          entry({ Detail: undefined }),
          entry({ Detail: "not json" }),
          entry({ Detail: "[1,2]" }),
          entry({ Source: "aws.codepipeline" }),
          entry({ EventBusName: "arn:aws:sqs:us-east-1:111111111111:queue" }),
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(7);
    expect(out.Entries?.map((e) => e.ErrorCode ?? "ok")).toEqual(["InvalidArgument", "ok", "InvalidArgument", "InvalidArgument", "MalformedDetail", "MalformedDetail", "NotAuthorizedForSourceException", "InvalidArgument"]);
    expect(out.Entries?.[0]?.ErrorMessage).toBe("Parameter Source is not valid. Reason: Source is a required argument.");
    expect(out.Entries?.[3]?.ErrorMessage).toBe("Parameter Detail is not valid. Reason: Detail is a required argument.");
    expect(out.Entries?.[4]?.ErrorMessage).toBe("Detail is malformed.");
    expect((await received("default")).events).toHaveLength(1);
  });

  it("refuses the whole request for 0 or more than 10 entries and over 256 KB in total, putting nothing", async () => {
    const none = await rejection(eb().send(new PutEventsCommand({ Entries: [] })));
    expect(none.name).toBe("ValidationException");
    expect(none.message).toMatch(/Member must have length greater than or equal to 1/);
    const eleven = await rejection(eb().send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) })));
    expect(eleven.name).toBe("ValidationException");
    expect(eleven.$metadata.httpStatusCode).toBe(400);
    expect(eleven.message).toMatch(/less than or equal to 10/);
    // AWS's size: Source + DetailType + Detail (+ 14 for a Time, + each Resource), summed over the entries.
    const detail = (bytes: number) => JSON.stringify({ p: "x".repeat(bytes - 8) });
    const atLimit = [entry({ Detail: detail(131072 - 14) }), entry({ Detail: detail(131072 - 14) })];
    expect((await eb().send(new PutEventsCommand({ Entries: atLimit }))).FailedEntryCount).toBe(0);
    const over = await rejection(eb().send(new PutEventsCommand({ Entries: [entry({ Detail: detail(131072 - 14) }), entry({ Detail: detail(131072 - 13) })] })));
    expect(over.name).toBe("ValidationException");
    expect(over.message).toBe("Total size of the entries in the request is over the limit.");
    const withTime = await rejection(eb().send(new PutEventsCommand({ Entries: [entry({ Detail: detail(131072 - 14), Time: new Date() }), entry({ Detail: detail(131072 - 14) })] })));
    expect(withTime.name).toBe("ValidationException");
    expect((await received("default")).events).toHaveLength(2);
  });

  it("answers a missing Entries member like AWS, to a hand-made call", async () => {
    const res = await rawJson(emulator, { target: "AWSEvents.PutEvents", body: "{}", authorization: fakeAuthorization("events"), headers: { "content-type": "application/x-amz-json-1.1" } });
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe("ValidationException");
    expect(String(res.json.message)).toMatch(/at 'entries' failed to satisfy constraint: Member must not be null/);
  });

  it("fails the next entries of a bus told to, per entry, then puts again", async () => {
    expect((await control(emulator, "POST", "/_emulator/event-buses/ops/fail", { errorCode: "ThrottlingException", count: 2 })).status).toBe(200);
    const out = await eb().send(new PutEventsCommand({ Entries: [entry({ EventBusName: "ops" }), entry({ EventBusName: "ops" }), entry({ EventBusName: "ops" }), entry()] }));
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries?.map((e) => e.ErrorCode ?? "ok")).toEqual(["ThrottlingException", "ThrottlingException", "ok", "ok"]);
    expect((await received("ops")).events).toHaveLength(1);
    expect((await received("ops")).failing).toBeNull();
    expect((await control(emulator, "POST", "/_emulator/event-buses/ops/fail", { errorCode: "Nope" })).status).toBe(400);
    expect((await control(emulator, "POST", "/_emulator/event-buses/ops/fail", { count: 0 })).status).toBe(400);
  });

  it("applies injected faults to the whole call", async () => {
    await control(emulator, "POST", "/_emulator/faults", { service: "events", operation: "PutEvents", error: "ThrottlingException", count: 1 });
    const e = await rejection(eb().send(new PutEventsCommand({ Entries: [entry()] })));
    expect(e.name).toBe("ThrottlingException");
    expect((await received("default")).events).toHaveLength(0);
    expect((await eb().send(new PutEventsCommand({ Entries: [entry()] }))).FailedEntryCount).toBe(0);
    const stats = (await control(emulator, "GET", "/_emulator/stats")).json as { calls: Record<string, Record<string, number>> };
    expect(stats.calls.events?.PutEvents).toBe(2);
  });

  it("empties a bus on DELETE and on every seed", async () => {
    await eb().send(new PutEventsCommand({ Entries: [entry({ EventBusName: "ops" })] }));
    expect((await control(emulator, "DELETE", "/_emulator/event-buses/ops/events")).status).toBe(200);
    expect((await received("ops")).events).toHaveLength(0);
    await eb().send(new PutEventsCommand({ Entries: [entry({ EventBusName: "ops" })] }));
    await control(emulator, "POST", "/_emulator/seed", { fixture: "empty" });
    expect((await received("ops")).events).toHaveLength(0);
  });
});
