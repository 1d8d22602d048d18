import { AwsError } from "../../protocol/errors";
import type { EventBusStore } from "./store";

/** What the EventBridge operations need of the emulator's state. */
export interface EventBridgeState {
  readonly eventBuses: EventBusStore;
}

/** AWS's request-level validation error (the model's `ValidationException`, HTTP 400). */
export const validation = (message: string) => new AwsError("ValidationException", message, 400);

/** `1 validation error detected: …` as AWS words a constraint on a member. */
export function constraint(value: string, member: string, rule: string): AwsError {
  return validation(`1 validation error detected: Value ${value} at '${member}' failed to satisfy constraint: ${rule}`);
}
