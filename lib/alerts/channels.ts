import { createHash } from "node:crypto";
import { ConfigError, env, type Env } from "@/lib/env";
import { singleton } from "@/lib/singleton";
import type { ChannelKind, ChannelView } from "@/lib/types";

/**
 * The notification channels, configured by environment only (their URLs and the webhook secret
 * are secrets: they never go to the database, the pages or the logs). Each URL is checked at
 * start-up: https, or http only to a loopback host or the emulator (AWS_ENDPOINT_URL's host).
 */

export interface Channel extends ChannelView {
  url: string;
}

type ChannelEnv = Pick<Env, "TETHER_NOTIFY_SLACK_URLS" | "TETHER_NOTIFY_WEBHOOK_URLS" | "TETHER_NOTIFY_WEBHOOK_SECRET" | "AWS_ENDPOINT_URL"> &
  Partial<Pick<Env, "TETHER_NOTIFY_EVENT_BUS" | "scopes" | "AWS_REGION">>;

/** The event bus channel: where, and through which configured scope (its credentials or role). */
export interface EventBus {
  arn: string;
  name: string;
  account: string;
  region: string;
  roleArn?: string;
}

/**
 * TETHER_NOTIFY_EVENT_BUS read (the schema checked its form): its account and Region must be a
 * configured scope, whose credentials (or role) put the events; with no TETHER_SCOPES (the
 * caller's own account), its Region must be AWS_REGION. Null when unset.
 */
export function parseEventBus(e: ChannelEnv): EventBus | null {
  const arn = e.TETHER_NOTIFY_EVENT_BUS;
  if (!arn) return null;
  const m = /^arn:[^:]+:events:([^:]+):(\d{12}):event-bus\/(.+)$/.exec(arn);
  if (!m) throw new ConfigError("TETHER_NOTIFY_EVENT_BUS must be an event bus ARN, arn:aws:events:<region>:<account>:event-bus/<name>");
  const [, region, account, name] = m as unknown as [string, string, string, string];
  if (e.scopes) {
    const scope = e.scopes.find((s) => s.account === account && s.regions.includes(region));
    if (!scope) {
      throw new ConfigError(`TETHER_NOTIFY_EVENT_BUS (account ${account}, Region ${region}) is not a configured scope: add ${region} to account ${account} in TETHER_SCOPES, whose credentials or role put the events`);
    }
    return { arn, name, account, region, ...(scope.roleArn ? { roleArn: scope.roleArn } : {}) };
  }
  if (e.AWS_REGION !== region) {
    throw new ConfigError(`TETHER_NOTIFY_EVENT_BUS (Region ${region}) is not a configured scope: without TETHER_SCOPES Tether watches only AWS_REGION (${e.AWS_REGION ?? "unset"}) of the caller's own account`);
  }
  return { arn, name, account, region };
}

/** The id and label a bus has as a channel. */
export const busChannelId = (bus: EventBus) => `eventbridge-${createHash("sha256").update(bus.arn).digest("hex").slice(0, 8)}`;

const LOOPBACK = (host: string) => host === "localhost" || host === "[::1]" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/** What may be shown of a URL: scheme and host, never its path (a Slack webhook's path is its secret). */
export const urlHint = (u: URL) => `${u.protocol}//${u.host}/…`;

/**
 * The configured channels, in order: Slack first, then the generic webhooks, then the event bus
 * (its `url` is the bus ARN). Throws a ConfigError
 * naming the variable and the item (by position, scheme and host) for a URL that cannot work.
 */
export function parseChannels(e: ChannelEnv): Channel[] {
  const emulatorHost = (() => {
    try {
      return e.AWS_ENDPOINT_URL ? new URL(e.AWS_ENDPOINT_URL).hostname : null;
    } catch {
      return null;
    }
  })();
  const out: Channel[] = [];
  const lists: [string, ChannelKind, string[]][] = [
    ["TETHER_NOTIFY_SLACK_URLS", "slack", e.TETHER_NOTIFY_SLACK_URLS],
    ["TETHER_NOTIFY_WEBHOOK_URLS", "webhook", e.TETHER_NOTIFY_WEBHOOK_URLS],
  ];
  for (const [variable, kind, urls] of lists) {
    urls.forEach((raw, i) => {
      const item = `${variable}: item ${i + 1}`;
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        throw new ConfigError(`${item} is not a URL (give absolute https:// URLs, comma-separated)`);
      }
      if (u.protocol !== "https:" && u.protocol !== "http:") throw new ConfigError(`${item} (${u.protocol}…) must be an https:// URL`);
      if (u.protocol === "http:" && !LOOPBACK(u.hostname) && u.hostname !== emulatorHost) {
        throw new ConfigError(`${item} (${urlHint(u)}) must be https: plain http is accepted only for a loopback host or the emulator (AWS_ENDPOINT_URL's host)`);
      }
      if (u.hash) throw new ConfigError(`${item} (${urlHint(u)}) must not have a #fragment`);
      const id = `${kind}-${createHash("sha256").update(u.href).digest("hex").slice(0, 8)}`;
      const twice = out.find((c) => c.id === id);
      if (twice) throw new ConfigError(`${item} (${urlHint(u)}) is configured twice`);
      out.push({ id, kind, label: `${kind === "slack" ? "Slack" : "Webhook"} (${u.host})`, url: u.href });
    });
  }
  const bus = parseEventBus(e);
  if (bus) out.push({ id: busChannelId(bus), kind: "eventbridge", label: `EventBridge (${bus.name}, ${bus.account}/${bus.region})`, url: bus.arn });
  if (e.TETHER_NOTIFY_WEBHOOK_URLS.length > 0 && !e.TETHER_NOTIFY_WEBHOOK_SECRET) {
    throw new ConfigError("TETHER_NOTIFY_WEBHOOK_SECRET is required when TETHER_NOTIFY_WEBHOOK_URLS is set: every webhook body is signed with it (generate one with: openssl rand -hex 32)");
  }
  return out;
}

/** This process's channels (checked at start-up, so this does not throw after it). */
export function configuredChannels(): Channel[] {
  return singleton("alerts:channels", () => parseChannels(env()));
}

/** This process's event bus, or null (checked at start-up). */
export function configuredEventBus(): EventBus | null {
  return singleton("alerts:event-bus", () => parseEventBus(env()));
}

/** What pages may show of a channel. */
export const channelView = (c: Channel): ChannelView => ({ id: c.id, kind: c.kind, label: c.label });
