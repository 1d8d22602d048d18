import type { JsonService } from "../registry";
import type { EventBridgeState } from "./model";
import { putEvents } from "./put-events";

/**
 * Amazon EventBridge, AWS JSON 1.1, signing name `events`: `X-Amz-Target: AWSEvents.PutEvents`
 * (the JS SDK, botocore and the AWS CLI all send this). Only PutEvents: what a bus received is
 * read through the control API.
 */
export const eventBridgeService: JsonService<EventBridgeState> = {
  protocol: "json",
  jsonVersion: "1.1",
  targets: [{ prefix: "AWSEvents", signingName: "events" }],
  signingNames: ["events"],
  operations: { PutEvents: putEvents },
  mutatingOperations: {
    PutEvents: (input, ctx) => {
      const first = Array.isArray(input.Entries) ? (input.Entries[0] as Record<string, unknown> | undefined) : undefined;
      const bus = typeof first?.EventBusName === "string" && first.EventBusName ? first.EventBusName : "default";
      return bus.startsWith("arn:") ? bus : `arn:aws:events:${ctx.region}:${ctx.account}:event-bus/${bus}`;
    },
  },
};
