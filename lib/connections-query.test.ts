import { describe, expect, test } from "vitest";
import { applyQuery, parseConnectionQuery, queryString } from "./connections-query";
import { paginate, toCsv } from "@/lib/query";
import type { ConnectionRow } from "@/lib/types";

const row = (over: Partial<ConnectionRow>): ConnectionRow => ({
  id: "00000000-0000-4000-8000-000000000000",
  arn: "arn:aws:codeconnections:us-east-1:111111111111:connection/00000000-0000-4000-8000-000000000000",
  name: "x",
  provider: "GitHub",
  status: "AVAILABLE",
  account: "111111111111",
  region: "us-east-1",
  prefix: "new",
  statusSince: null,
  unknownSince: null,
  homeRegionWatched: true,
  pipelines: null,
  ...over,
});

const rows = [
  row({ id: "a", name: "web-github", status: "AVAILABLE" }),
  row({ id: "b", name: "pay-bitbucket", provider: "Bitbucket", status: "PENDING", region: "eu-west-1", prefix: "legacy", arn: "arn:aws:codestar-connections:eu-west-1:111111111111:connection/b" }),
  row({ id: "c", name: "ghes-core", provider: "GitHubEnterpriseServer", status: "ERROR", account: "222222222222", hostArn: "arn:aws:codeconnections:us-east-1:222222222222:host/ghes-1", hostName: "ghes" }),
  row({ id: "d", name: "Data-gitlab", provider: "GitLab", status: "AVAILABLE", account: "222222222222", statusSince: "2026-11-01T00:00:00.000Z" }),
];

describe("parseConnectionQuery", () => {
  test("repeatable and comma-separated filters", () => {
    const { query, problems } = parseConnectionQuery(new URLSearchParams("status=PENDING&status=ERROR&provider=GitHub,GitLab&prefix=legacy&q=%20web%20&sort=name&dir=desc&page=2"));
    expect(problems).toEqual([]);
    expect(query).toEqual({ status: ["PENDING", "ERROR"], provider: ["GitHub", "GitLab"], account: [], region: [], prefix: ["legacy"], q: "web", usage: "", sort: "name", dir: "desc", page: 2 });
  });

  test("bad values are reported, not applied", () => {
    const { query, problems } = parseConnectionQuery({ status: "BROKEN", account: "12", sort: "color", dir: "up", page: "0", prefix: ["new", "old"] });
    expect(query.status).toEqual([]);
    expect(query.prefix).toEqual(["new"]);
    expect(query.sort).toBe("status");
    expect(problems).toHaveLength(6);
    expect(problems[0]).toBe('status: "BROKEN" is not one of AVAILABLE, PENDING, ERROR');
  });

  test("queryString round-trips and drops defaults", () => {
    const { query } = parseConnectionQuery(new URLSearchParams("status=ERROR&sort=region&q=a b"));
    const again = parseConnectionQuery(new URLSearchParams(queryString(query).slice(1))).query;
    expect(again).toEqual(query);
    expect(queryString(parseConnectionQuery({}).query)).toBe("");
  });
});

describe("applyQuery", () => {
  const q = (s: string) => parseConnectionQuery(new URLSearchParams(s)).query;

  test("default: worst status first, then name", () => {
    expect(applyQuery(rows, q("")).map((r) => r.id)).toEqual(["c", "b", "d", "a"]);
  });

  test("filters combine with AND across keys, OR within a key", () => {
    expect(applyQuery(rows, q("status=AVAILABLE&status=ERROR&account=222222222222")).map((r) => r.id)).toEqual(["c", "d"]);
    expect(applyQuery(rows, q("prefix=legacy")).map((r) => r.id)).toEqual(["b"]);
    expect(applyQuery(rows, q("region=eu-west-1")).map((r) => r.id)).toEqual(["b"]);
  });

  test("text search looks in name and ARN, case-insensitive", () => {
    expect(applyQuery(rows, q("q=GITLAB")).map((r) => r.id)).toEqual(["d"]);
    expect(applyQuery(rows, q("q=codestar-connections")).map((r) => r.id)).toEqual(["b"]);
  });

  test.each([
    ["name", ["d", "c", "b", "a"]],
    ["provider", ["b", "a", "c", "d"]],
    ["host", ["d", "b", "a", "c"]],
    ["since", ["d", "c", "b", "a"]],
  ])("sort by %s (ties by name)", (sort, ids) => {
    expect(applyQuery(rows, q(`sort=${sort}`)).map((r) => r.id)).toEqual(ids);
  });

  test("desc reverses the primary key", () => {
    expect(applyQuery(rows, q("sort=status&dir=desc")).map((r) => r.id)).toEqual(["d", "a", "b", "c"]);
  });
});

test("usage filter: unused means mapped and used by no pipeline", () => {
  const r = [row({ id: "u", pipelines: 0 }), row({ id: "p", pipelines: 3 }), row({ id: "x", pipelines: null })];
  const q = (s: string) => parseConnectionQuery(new URLSearchParams(s)).query;
  expect(applyQuery(r, q("usage=unused")).map((x) => x.id)).toEqual(["u"]);
  expect(applyQuery(r, q("usage=used")).map((x) => x.id)).toEqual(["p"]);
  expect(applyQuery(r, q("sort=pipelines&dir=desc")).map((x) => x.id)).toEqual(["p", "u", "x"]);
  expect(parseConnectionQuery(new URLSearchParams("usage=maybe")).problems).toEqual(['usage: "maybe" is not used or unused']);
});

test("paginate clamps the page", () => {
  const p = paginate([1, 2, 3, 4, 5], 9, 2);
  expect(p).toEqual({ rows: [5], page: 3, pages: 3, total: 5, pageSize: 2 });
  expect(paginate([], 1, 2)).toEqual({ rows: [], page: 1, pages: 1, total: 0, pageSize: 2 });
});

test("toCsv quotes, escapes and defuses formulas", () => {
  expect(toCsv(["a", "b"], [{ a: 'x,"y"', b: null }, { a: "=cmd()", b: 3 }])).toBe('a,b\r\n"x,""y""",\r\n\'=cmd(),3\r\n');
});
