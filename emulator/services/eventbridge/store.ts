/**
 * What the emulator's EventBridge buses received. AWS has no API to read a bus back (events are
 * matched to rules and forwarded), so this is the emulator's own view, read through the control
 * API (`GET /_emulator/event-buses/<name>/events`). Each bus is keyed by account, Region and name;
 * the default bus of every account and Region is `default`. Every bus name exists: AWS accepts
 * events for a bus that does not exist (and drops them), so a store that refused them would
 * differ from AWS; the emulator keeps them under the name given, where a test can see them.
 */

/** An event as EventBridge delivers it to a rule's target (the envelope, `detail` parsed). */
export interface BusEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface ReceivedEvent {
  /** 1, 2, … per bus name across accounts and Regions, in the order received. */
  seq: number;
  /** The bus's ARN. */
  eventBusArn: string;
  /** When the emulator received it (ISO). */
  receivedAt: string;
  event: BusEvent;
}

/** A per-entry failure the control API told a bus to answer (`POST /_emulator/event-buses/<name>/fail`). */
export interface EntryFailure {
  errorCode: EntryFailureCode;
  remaining: number;
}

export const ENTRY_FAILURE_CODES = ["ThrottlingException", "InternalFailure"] as const;
export type EntryFailureCode = (typeof ENTRY_FAILURE_CODES)[number];

/** A bus name (not an ARN): what the model allows. */
export const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
/** Events kept per bus name (the oldest go first). */
export const MAX_EVENTS_PER_BUS = 1_000;

export class EventBusStore {
  private readonly byName = new Map<string, { events: ReceivedEvent[]; seq: number }>();
  private readonly failures = new Map<string, EntryFailure>();

  receive(name: string, eventBusArn: string, event: BusEvent, at: Date): ReceivedEvent {
    let bus = this.byName.get(name);
    if (!bus) this.byName.set(name, (bus = { events: [], seq: 0 }));
    const received: ReceivedEvent = { seq: ++bus.seq, eventBusArn, receivedAt: at.toISOString(), event };
    bus.events.push(received);
    if (bus.events.length > MAX_EVENTS_PER_BUS) bus.events.splice(0, bus.events.length - MAX_EVENTS_PER_BUS);
    return received;
  }

  /** Everything buses of this name received, in every account and Region, oldest first. */
  events(name: string): ReceivedEvent[] {
    return [...(this.byName.get(name)?.events ?? [])];
  }

  /** The next `count` entries for buses of this name fail with `errorCode` (per entry, not the call). */
  fail(name: string, errorCode: EntryFailureCode, count: number): EntryFailure {
    const failure = { errorCode, remaining: count };
    this.failures.set(name, failure);
    return failure;
  }

  /** Uses one of the bus's told failures, if any is left. */
  takeFailure(name: string): EntryFailureCode | null {
    const f = this.failures.get(name);
    if (!f || f.remaining <= 0) return null;
    f.remaining--;
    if (f.remaining === 0) this.failures.delete(name);
    return f.errorCode;
  }

  failing(name: string): EntryFailure | null {
    return this.failures.get(name) ?? null;
  }

  clear(name?: string): void {
    if (name === undefined) {
      this.byName.clear();
      this.failures.clear();
    } else {
      this.byName.delete(name);
      this.failures.delete(name);
    }
  }
}
