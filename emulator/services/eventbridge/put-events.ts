import { randomUUID } from "node:crypto";
import type { CallContext, JsonHandler } from "../registry";
import { constraint, validation, type EventBridgeState } from "./model";
import type { BusEvent } from "./store";

/** Entries per call and total entry size, as AWS documents them (BEHAVIOR.md). */
export const MAX_ENTRIES = 10;
export const MAX_TOTAL_BYTES = 256 * 1024;

const BUS_ARN = /^arn:aws[\w-]*:events:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):event-bus\/([/.\-_A-Za-z0-9]+)$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]+$/;

type Entry = Record<string, unknown>;
type EntryError = { ErrorCode: string; ErrorMessage: string };
type ResultEntry = { EventId: string } | EntryError;

const utf8 = (s: unknown) => (typeof s === "string" ? Buffer.byteLength(s, "utf8") : 0);

/**
 * An entry's size as EventBridge counts it ("Calculating PutEvents event entry size"): 14 bytes
 * for a Time, the UTF-8 bytes of Source, DetailType, Detail and each of Resources. EventBusName
 * and TraceHeader do not count.
 */
export function entrySize(e: Entry): number {
  let size = e.Time !== undefined && e.Time !== null ? 14 : 0;
  size += utf8(e.Source) + utf8(e.DetailType) + utf8(e.Detail);
  if (Array.isArray(e.Resources)) for (const r of e.Resources) size += utf8(r);
  return size;
}

const invalidArgument = (member: string, reason: string): EntryError => ({ ErrorCode: "InvalidArgument", ErrorMessage: `Parameter ${member} is not valid. Reason: ${reason}` });

/** Where an entry goes: its EventBusName (a name: the caller's account and Region; an ARN: the one it names), `default` when absent. */
function resolveBus(e: Entry, ctx: CallContext): { name: string; arn: string; account: string; region: string } | EntryError {
  const given = e.EventBusName;
  if (given === undefined || given === null || given === "") {
    return { name: "default", arn: `arn:aws:events:${ctx.region}:${ctx.account}:event-bus/default`, account: ctx.account, region: ctx.region };
  }
  if (typeof given !== "string" || given.length > 1600) return invalidArgument("EventBusName", "EventBusName is not a valid name or ARN.");
  const arn = BUS_ARN.exec(given);
  if (arn) return { name: arn[3] as string, arn: given, account: arn[2] as string, region: arn[1] as string };
  if (given.startsWith("arn:") || !BUS_NAME.test(given) || given.length > 256) return invalidArgument("EventBusName", "EventBusName is not a valid name or ARN.");
  return { name: given, arn: `arn:aws:events:${ctx.region}:${ctx.account}:event-bus/${given}`, account: ctx.account, region: ctx.region };
}

/** Time: epoch seconds (AWS JSON) or an ISO string; absent or unreadable: now (as AWS does). */
function eventTime(t: unknown, now: Date): string {
  const ms = typeof t === "number" ? t * 1000 : typeof t === "string" ? (/^-?\d+(\.\d+)?$/.test(t) ? Number(t) * 1000 : Date.parse(t)) : NaN;
  const d = Number.isFinite(ms) ? new Date(ms) : now;
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * PutEvents (AWS JSON 1.1, `AWSEvents.PutEvents`). The request is refused as a whole
 * (ValidationException) when Entries is missing, has fewer than 1 or more than 10 entries, or the
 * entries' total size is over 256 KB. Otherwise each entry is answered in its place: an EventId,
 * or an ErrorCode and ErrorMessage — InvalidArgument for a missing Source, DetailType or Detail
 * (and a malformed EventBusName or Resources), MalformedDetail for a Detail that is not a JSON
 * object, NotAuthorizedForSourceException for a Source starting `aws.` — and FailedEntryCount
 * counts the failures. A bus told to fail (control API) answers its next entries with that code.
 */
export const putEvents: JsonHandler<EventBridgeState> = (input, ctx) => {
  const entries = input.Entries;
  if (entries === undefined || entries === null) throw constraint("null", "entries", "Member must not be null");
  if (!Array.isArray(entries)) throw validation("Start of list found where not expected");
  if (entries.length < 1) throw constraint("[]", "entries", "Member must have length greater than or equal to 1");
  if (entries.length > MAX_ENTRIES) throw constraint(`'[${entries.length} entries]'`, "entries", `Member must have length less than or equal to ${MAX_ENTRIES}`);
  const list = entries.map((e): Entry => (typeof e === "object" && e !== null && !Array.isArray(e) ? (e as Entry) : {}));
  const total = list.reduce((n, e) => n + entrySize(e), 0);
  if (total > MAX_TOTAL_BYTES) throw validation("Total size of the entries in the request is over the limit.");

  const results = list.map((e): ResultEntry => {
    for (const member of ["Source", "DetailType", "Detail"] as const) {
      const v = e[member];
      if (v === undefined || v === null || v === "") return invalidArgument(member, `${member} is a required argument.`);
      if (typeof v !== "string") return invalidArgument(member, `${member} must be a string.`);
    }
    if (e.Resources !== undefined && e.Resources !== null && (!Array.isArray(e.Resources) || e.Resources.some((r) => typeof r !== "string"))) {
      return invalidArgument("Resources", "Resources must be a list of strings.");
    }
    const bus = resolveBus(e, ctx);
    if ("ErrorCode" in bus) return bus;
    if ((e.Source as string).startsWith("aws.")) return { ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source." };
    let detail: unknown;
    try {
      detail = JSON.parse(e.Detail as string);
    } catch {
      detail = undefined;
    }
    if (typeof detail !== "object" || detail === null || Array.isArray(detail)) return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
    const told = ctx.state.eventBuses.takeFailure(bus.name);
    if (told) return { ErrorCode: told, ErrorMessage: told === "ThrottlingException" ? "Rate exceeded." : "Internal failure." };
    const event: BusEvent = {
      version: "0",
      id: randomUUID(),
      "detail-type": e.DetailType as string,
      source: e.Source as string,
      account: bus.account,
      time: eventTime(e.Time, ctx.now),
      region: bus.region,
      resources: Array.isArray(e.Resources) ? (e.Resources as string[]) : [],
      detail: detail as Record<string, unknown>,
    };
    ctx.state.eventBuses.receive(bus.name, bus.arn, event, ctx.now);
    return { EventId: event.id };
  });
  return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
};
