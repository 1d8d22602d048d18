import { createHmac, timingSafeEqual } from "node:crypto";
import { describe, expect, test } from "vitest";
import { ConfigError, parseEnv } from "@/lib/env";
import { checkConfig } from "@/lib/startup";
import type { AlertEvent } from "@/lib/types";
import { parseChannels } from "./channels";
import { signature, slackBody, slackEscape, webhookBody, webhookTestBody, type Links, type Notification } from "./render";

const event: AlertEvent = {
  rule: "connection-error",
  ruleTitle: "Connection in ERROR",
  state: "firing",
  since: "2026-11-25T11:58:00.000Z",
  firedAt: "2026-11-25T12:00:00.000Z",
  resolvedAt: null,
  summary: "Connection docs-site-github is ERROR",
  detail: "The GitHub connection docs-site-github <b> & co has been ERROR.",
  subject: { kind: "connection", id: "b46e6780-f86f-4021-b10c-ccba2f8e35b4", name: "docs-site-github", account: "111111111111", region: "us-east-1", arn: "arn:aws:codeconnections:us-east-1:111111111111:connection/b46e6780-f86f-4021-b10c-ccba2f8e35b4", provider: "GitHub" },
  guidance: { who: "An owner of the GitHub organization", howTo: "Reinstall the app." },
};
const fired: Notification = { alertId: 12, transitionId: 34, kind: "fired", at: "2026-11-25T12:00:00.000Z", event };
const links: Links = { appOrigin: "https://tether.example.com", consoleTemplate: "https://{region}.console.aws.amazon.com" };

describe("the generic webhook body, schema version 1", () => {
  test("what, status, since, subject with links, who must act; the same bytes for the same transition", () => {
    const body = JSON.parse(webhookBody(fired, links)) as Record<string, unknown>;
    expect(body).toEqual({
      version: "1",
      id: "tether-transition-34",
      type: "alert.fired",
      occurredAt: "2026-11-25T12:00:00.000Z",
      alert: {
        id: 12,
        url: "https://tether.example.com/alerts/12",
        rule: "connection-error",
        ruleTitle: "Connection in ERROR",
        state: "firing",
        since: "2026-11-25T11:58:00.000Z",
        firedAt: "2026-11-25T12:00:00.000Z",
        resolvedAt: null,
        summary: "Connection docs-site-github is ERROR",
        detail: event.detail,
        subject: {
          ...event.subject,
          url: "https://tether.example.com/connections/b46e6780-f86f-4021-b10c-ccba2f8e35b4",
          consoleUrl: "https://us-east-1.console.aws.amazon.com/codesuite/settings/111111111111/us-east-1/codeconnections/connections/b46e6780-f86f-4021-b10c-ccba2f8e35b4",
        },
        guidance: event.guidance,
      },
    });
    expect(webhookBody(fired, links)).toBe(webhookBody(fired, links));
  });

  test("without AUTH_URL there is no link to Tether (the console link stays)", () => {
    const body = JSON.parse(webhookBody(fired, { ...links, appOrigin: null })) as { alert: { url: string | null; subject: { url: string | null; consoleUrl: string | null } } };
    expect(body.alert.url).toBeNull();
    expect(body.alert.subject.url).toBeNull();
    expect(body.alert.subject.consoleUrl).toContain("console.aws.amazon.com");
  });

  test("a test body has the same envelope and no alert", () => {
    expect(JSON.parse(webhookTestBody("tether-test-1", "2026-11-25T12:00:00.000Z", "alice@example.com"))).toEqual({ version: "1", id: "tether-test-1", type: "test", occurredAt: "2026-11-25T12:00:00.000Z", sentBy: "alice@example.com", alert: null });
  });
});

describe("the signature: X-Tether-Signature: t=<unix>,v1=<hex HMAC-SHA256 of t.body>", () => {
  test("matches a vector computed with openssl", () => {
    // printf '%s' '1732536000.{"version":"1","id":"tether-transition-1"}' | openssl dgst -sha256 -hmac 'whsec_0123456789abcdef'
    expect(signature("whsec_0123456789abcdef", '{"version":"1","id":"tether-transition-1"}', 1732536000)).toBe("t=1732536000,v1=654b40c8f703b57bac7073bbef930265d8f98651f2b3034c1d7ce6861126ef88");
  });

  test("the receiver's check in docs/alerts.md accepts it, and refuses a changed body, another secret and an old timestamp", () => {
    // The verification snippet of docs/alerts.md, as a receiver would write it.
    function verify(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
      const parts = Object.fromEntries(header.split(",").map((kv) => kv.split("=") as [string, string]));
      const t = Number(parts.t);
      if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1) return false;
      const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
      const given = Buffer.from(parts.v1, "hex");
      return given.length === expected.length && timingSafeEqual(given, expected);
    }
    const body = webhookBody(fired, links);
    const header = signature("s3cret-s3cret-s3cret", body, 1_764_072_000);
    expect(verify("s3cret-s3cret-s3cret", header, body, 1_764_072_010)).toBe(true);
    expect(verify("s3cret-s3cret-s3cret", header, body.replace("ERROR", "OK"), 1_764_072_010)).toBe(false);
    expect(verify("another-secret-here", header, body, 1_764_072_010)).toBe(false);
    expect(verify("s3cret-s3cret-s3cret", header, body, 1_764_072_000 + 301)).toBe(false);
  });
});

describe("the Slack message (Block Kit)", () => {
  type Slack = { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text?: unknown; url?: string }[] }[] };
  const slack = (n: Notification, l = links) => JSON.parse(slackBody(n, l)) as Slack;

  test("says what, the status, since when, who must act, with links to Tether's alert page and the console", () => {
    const m = slack(fired);
    expect(m.text).toBe("[FIRING] Connection docs-site-github is ERROR");
    expect(m.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "section", "actions", "context"]);
    expect(m.blocks[0]?.text?.text).toBe("🔴 Firing: Connection in ERROR");
    expect(m.blocks[1]?.text?.text).toBe(
      "*<https://tether.example.com/connections/b46e6780-f86f-4021-b10c-ccba2f8e35b4|docs-site-github>* (111111111111 · us-east-1 · GitHub)\nConnection docs-site-github is ERROR\nThe GitHub connection docs-site-github &lt;b&gt; &amp; co has been ERROR.",
    );
    expect(m.blocks[2]?.fields?.map((f) => f.text)).toEqual([
      "*Status*\nfiring",
      "*Since*\n<!date^1795607880^{date_short_pretty} {time}|2026-11-25 11:58:00 UTC>",
      "*Fired*\n<!date^1795608000^{date_short_pretty} {time}|2026-11-25 12:00:00 UTC>",
      `*connection*\n${event.subject.arn ?? ""}`,
    ]);
    expect(m.blocks[3]?.text?.text).toBe("*Who must act:* An owner of the GitHub organization\nReinstall the app.");
    expect(m.blocks[4]?.elements?.map((e) => e.url)).toEqual(["https://tether.example.com/alerts/12", "https://us-east-1.console.aws.amazon.com/codesuite/settings/111111111111/us-east-1/codeconnections/connections/b46e6780-f86f-4021-b10c-ccba2f8e35b4"]);
  });

  test("resolved: no guidance, the resolution time; without AUTH_URL no Tether button and a hint", () => {
    const resolved = slack({ ...fired, kind: "resolved", transitionId: 35, event: { ...event, state: "resolved", resolvedAt: "2026-11-25T12:30:00.000Z" } }, { ...links, appOrigin: null });
    expect(resolved.text).toBe("[RESOLVED] Connection docs-site-github is ERROR");
    expect(resolved.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "actions", "context"]);
    expect(resolved.blocks[2]?.fields?.[2]?.text).toBe("*Resolved*\n<!date^1795609800^{date_short_pretty} {time}|2026-11-25 12:30:00 UTC>");
    expect(resolved.blocks[3]?.elements?.map((e) => e.url)).toEqual([expect.stringContaining("console.aws.amazon.com")]);
    expect(JSON.stringify(resolved.blocks[4])).toContain("set AUTH_URL for links to Tether");
  });

  test("escaping: only &, < and > are special", () => {
    expect(slackEscape("a <b> & <!here> *bold*")).toBe("a &lt;b&gt; &amp; &lt;!here&gt; *bold*");
  });
});

describe("channels: configured by environment, checked at start-up", () => {
  const e = (vars: Record<string, string>) => parseEnv({ AWS_REGION: "us-east-1", ...vars });

  test("Slack and webhook URLs become channels with stable ids that do not show the URL", () => {
    const channels = parseChannels(e({ TETHER_NOTIFY_SLACK_URLS: "https://hooks.slack.com/services/T000/B000/s3cr3tpath", TETHER_NOTIFY_WEBHOOK_URLS: "https://events.pagerduty.example/bridge, http://127.0.0.1:4566/_emulator/sinks/webhook", TETHER_NOTIFY_WEBHOOK_SECRET: "0123456789abcdef" }));
    expect(channels.map((c) => [c.kind, c.label, /^(slack|webhook)-[0-9a-f]{8}$/.test(c.id)])).toEqual([
      ["slack", "Slack (hooks.slack.com)", true],
      ["webhook", "Webhook (events.pagerduty.example)", true],
      ["webhook", "Webhook (127.0.0.1:4566)", true],
    ]);
    expect(channels.every((c) => !c.id.includes("s3cr3tpath") && !c.label.includes("s3cr3tpath"))).toBe(true);
    // The same URL gives the same id on every start, whatever the order.
    expect(parseChannels(e({ TETHER_NOTIFY_SLACK_URLS: "https://hooks.slack.com/services/T000/B000/s3cr3tpath" }))[0]?.id).toBe(channels[0]?.id);
    expect(parseChannels(e({}))).toEqual([]);
  });

  test.each([
    [{ TETHER_NOTIFY_SLACK_URLS: "hooks.slack.com/services/T/B/X" }, "TETHER_NOTIFY_SLACK_URLS: item 1 is not a URL"],
    [{ TETHER_NOTIFY_SLACK_URLS: "https://hooks.slack.com/a, http://hooks.slack.com/services/T/B/p4th-t0ken" }, "TETHER_NOTIFY_SLACK_URLS: item 2 (http://hooks.slack.com/…) must be https: plain http is accepted only for a loopback host or the emulator"],
    [{ TETHER_NOTIFY_WEBHOOK_URLS: "ftp://example.com/x", TETHER_NOTIFY_WEBHOOK_SECRET: "0123456789abcdef" }, "TETHER_NOTIFY_WEBHOOK_URLS: item 1 (ftp:…) must be an https:// URL"],
    [{ TETHER_NOTIFY_WEBHOOK_URLS: "https://a.example/p4th-t0ken,https://a.example/p4th-t0ken", TETHER_NOTIFY_WEBHOOK_SECRET: "0123456789abcdef" }, "TETHER_NOTIFY_WEBHOOK_URLS: item 2 (https://a.example/…) is configured twice"],
    [{ TETHER_NOTIFY_WEBHOOK_URLS: "https://a.example/x" }, "TETHER_NOTIFY_WEBHOOK_SECRET is required when TETHER_NOTIFY_WEBHOOK_URLS is set"],
  ])("a clear error that names the variable and never the URL's path: %j", (vars, message) => {
    expect(() => parseChannels(e(vars))).toThrow(ConfigError);
    expect(() => parseChannels(e(vars))).toThrow(message);
    try {
      parseChannels(e(vars));
    } catch (err) {
      expect(String(err)).not.toContain("p4th-t0ken");
    }
  });

  test("http is accepted for loopback hosts and the emulator's host; the start-up check refuses the rest in every environment", () => {
    for (const url of ["http://localhost:9000/x", "http://127.0.0.1/x", "http://[::1]:8080/x"]) expect(parseChannels(e({ TETHER_NOTIFY_SLACK_URLS: url }))).toHaveLength(1);
    expect(parseChannels(e({ AWS_ENDPOINT_URL: "http://emulator:4566", TETHER_NOTIFY_SLACK_URLS: "http://emulator:4566/_emulator/sinks/slack" }))).toHaveLength(1);
    expect(() => checkConfig(e({ NODE_ENV: "development", TETHER_NOTIFY_SLACK_URLS: "http://hooks.example.com/x" }))).toThrow(/must be https/);
    expect(() => parseEnv({ AWS_REGION: "us-east-1", TETHER_NOTIFY_WEBHOOK_SECRET: "short" })).toThrow("TETHER_NOTIFY_WEBHOOK_SECRET: at least 16 characters");
  });
});
