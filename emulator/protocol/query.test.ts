import { describe, expect, it } from "vitest";
import { decodeQueryParams, escapeXml, parseForm, toXml } from "./query";

describe("parseForm / decodeQueryParams", () => {
  it("decodes a flat form and drops Action and Version", () => {
    const params = parseForm(
      Buffer.from("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=a+b"),
    );
    expect(params.Action).toBe("AssumeRole");
    expect(decodeQueryParams(params)).toEqual({ RoleArn: "arn:aws:iam::1:role/r", RoleSessionName: "a b" });
  });

  it("rebuilds lists from .member.N in index order, and maps from .entry.N", () => {
    const params = {
      "MetricDataQueries.member.2.Id": "b",
      "MetricDataQueries.member.10.Id": "c",
      "MetricDataQueries.member.1.Id": "a",
      "MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name": "Pipeline",
      "Attributes.entry.1.key": "k",
      "Attributes.entry.1.value": "v",
    };
    expect(decodeQueryParams(params)).toEqual({
      MetricDataQueries: [{ Id: "a", MetricStat: { Metric: { Dimensions: [{ Name: "Pipeline" }] } } }, { Id: "b" }, { Id: "c" }],
      Attributes: { k: "v" },
    });
  });

  it("keeps __proto__ keys as plain data", () => {
    const decoded = decodeQueryParams({ "__proto__.polluted": "yes" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(decoded)).toEqual(["__proto__"]);
  });
});

describe("XML", () => {
  it("escapes the five XML specials", () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;");
  });

  it("renders members, lists as <member>, dates as ISO seconds, and skips undefined", () => {
    expect(
      toXml({
        Arn: "a&b",
        Count: 2,
        When: new Date("2026-11-25T20:00:00.123Z"),
        Items: ["x", { Id: 1 }],
        Absent: undefined,
      }),
    ).toBe("<Arn>a&amp;b</Arn><Count>2</Count><When>2026-11-25T20:00:00Z</When><Items><member>x</member><member><Id>1</Id></member></Items>");
  });

  it("renders maps as <entry><key/><value/></entry> (CloudWatch's ExtendedStatistics)", () => {
    expect(toXml({ ExtendedStatistics: new Map<string, number>([["p50", 4100], ["p99", 61000]]) })).toBe(
      "<ExtendedStatistics><entry><key>p50</key><value>4100</value></entry><entry><key>p99</key><value>61000</value></entry></ExtendedStatistics>",
    );
  });
});
