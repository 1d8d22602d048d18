import { expect, test } from "vitest";
import { providerLabel, relativeTime, utcTime } from "./labels";

test("provider labels, unknown values pass through", () => {
  expect(providerLabel("GitLabSelfManaged")).toBe("GitLab self-managed");
  expect(providerLabel("Gitea")).toBe("Gitea");
});

test("relativeTime", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");
  expect(relativeTime("2026-11-25T11:59:55Z", now)).toBe("just now");
  expect(relativeTime("2026-11-25T11:59:30Z", now)).toBe("30 s ago");
  expect(relativeTime("2026-11-25T11:45:00Z", now)).toBe("15 min ago");
  expect(relativeTime("2026-11-25T06:00:00Z", now)).toBe("6 h ago");
  expect(relativeTime("2026-11-20T12:00:00Z", now)).toBe("5 d ago");
  expect(relativeTime("nonsense", now)).toBe("unknown");
  expect(utcTime("2026-11-25T20:41:02.123Z")).toBe("2026-11-25 20:41:02 UTC");
});
