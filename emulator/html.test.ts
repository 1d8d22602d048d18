import { describe, expect, it } from "vitest";
import { escapeHtml, parseForm } from "./html";

describe("escapeHtml", () => {
  it("escapes the five HTML-special characters", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    expect(escapeHtml(42)).toBe("42");
  });
});

describe("parseForm", () => {
  it("reads url-encoded forms only", () => {
    const body = Buffer.from("outcome=complete&name=a%20b");
    expect(parseForm(body, "application/x-www-form-urlencoded; charset=UTF-8").get("name")).toBe("a b");
    expect(parseForm(body, "application/json").get("outcome")).toBeNull();
    expect(parseForm(body, undefined).get("outcome")).toBeNull();
  });
});
