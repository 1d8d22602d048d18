/**
 * Notification sinks (`/_emulator/sinks/<name>`): receivers that stand in for a Slack incoming
 * webhook, a PagerDuty or Opsgenie bridge, or any HTTP endpoint Tether notifies. A sink records
 * every request it receives — any content type, headers and body as sent — and answers 200, or the
 * failure it was told to answer (`fail`). Tests read what arrived; seeds and resets empty them.
 */

/** A sink name: what goes in the URL. */
export const SINK_NAME = /^[A-Za-z0-9._-]{1,64}$/;
/** Sinks kept at once, and deliveries kept per sink (the oldest go first). */
export const MAX_SINKS = 100;
export const MAX_DELIVERIES = 1_000;

export interface SinkDelivery {
  /** 1, 2, … per sink, in the order received. */
  seq: number;
  /** When it arrived (ISO). */
  at: string;
  /** Request headers as received, names in lower case (repeated headers joined with ", "). */
  headers: Record<string, string>;
  contentType: string | null;
  /** The body as UTF-8 text. */
  body: string;
  /** The HTTP status the sink answered: 200, or the failure it was told to answer. */
  answered: number;
}

export interface SinkFailure {
  status: number;
  /** Failures left to answer. */
  remaining: number;
  /** Only deliveries whose body contains this text fail (absent: any delivery). */
  match?: string;
}

interface Sink {
  deliveries: SinkDelivery[];
  failures: SinkFailure[];
  seq: number;
}

export type FailRequest = { ok: true; failure: SinkFailure } | { ok: false; message: string };

/** Reads `{"status"?: 400–599, "count"?: 1–1000, "match"?: "<text>"}`; every problem is named. */
export function parseFailRequest(input: unknown): FailRequest {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, message: 'Expected a JSON body {"status"?: 400-599, "count"?: 1-1000, "match"?: "<text>"}.' };
  }
  const body = input as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(body)) if (!["status", "count", "match"].includes(key)) problems.push(`unknown field "${key}"`);
  const status = body.status ?? 500;
  const count = body.count ?? 1;
  if (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599) problems.push('"status" must be an integer from 400 to 599');
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > 1000) problems.push('"count" must be an integer from 1 to 1000');
  if (body.match !== undefined && (typeof body.match !== "string" || body.match.length === 0 || body.match.length > 500)) problems.push('"match" must be a string of 1 to 500 characters');
  if (problems.length) return { ok: false, message: `Invalid failure: ${problems.join("; ")}.` };
  return { ok: true, failure: { status: status as number, remaining: count as number, ...(typeof body.match === "string" ? { match: body.match } : {}) } };
}

export class Sinks {
  private readonly sinks = new Map<string, Sink>();

  private sink(name: string): Sink | undefined {
    let sink = this.sinks.get(name);
    if (!sink) {
      if (this.sinks.size >= MAX_SINKS) return undefined;
      sink = { deliveries: [], failures: [], seq: 0 };
      this.sinks.set(name, sink);
    }
    return sink;
  }

  /**
   * Records one delivery and says what to answer: the first failure rule that applies to it (its
   * `match` text is in the body, or it has none) and has failures left, else 200. Undefined when
   * there are already MAX_SINKS sinks and this is a new one.
   */
  receive(name: string, headers: Record<string, string | string[] | undefined>, body: Buffer, at: Date): SinkDelivery | undefined {
    const sink = this.sink(name);
    if (!sink) return undefined;
    const text = body.toString("utf8");
    const failure = sink.failures.find((f) => f.remaining > 0 && (f.match === undefined || text.includes(f.match)));
    if (failure) failure.remaining--;
    const flat = Object.fromEntries(
      Object.entries(headers)
        .filter((e): e is [string, string | string[]] => e[1] !== undefined)
        .map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(", ") : v]),
    );
    const delivery: SinkDelivery = { seq: ++sink.seq, at: at.toISOString(), headers: flat, contentType: flat["content-type"] ?? null, body: text, answered: failure ? failure.status : 200 };
    sink.deliveries.push(delivery);
    if (sink.deliveries.length > MAX_DELIVERIES) sink.deliveries.shift();
    return delivery;
  }

  /** What the sink received, oldest first, and the failures it still has to answer. */
  list(name: string): { deliveries: SinkDelivery[]; failing: SinkFailure[] } {
    const sink = this.sinks.get(name);
    return { deliveries: [...(sink?.deliveries ?? [])], failing: (sink?.failures ?? []).filter((f) => f.remaining > 0).map((f) => ({ ...f })) };
  }

  /** The next matching deliveries fail with `failure.status`; false when there are too many sinks. */
  fail(name: string, failure: SinkFailure): boolean {
    const sink = this.sink(name);
    if (!sink) return false;
    sink.failures.push({ ...failure });
    return true;
  }

  /** Forgets one sink (its deliveries and failures). */
  clear(name: string): void {
    this.sinks.delete(name);
  }

  /** Forgets every sink (seed and reset). */
  clearAll(): void {
    this.sinks.clear();
  }
}
