import { describe, expect, it } from "vitest";
import { AwsError } from "./errors";
import { InputReader } from "./input";

function violations(run: (r: InputReader) => void): string {
  try {
    const r = new InputReader({ Name: "abcdef", Count: 500, Kind: "Z", Tags: [{ Key: "" }], Ids: ["ok", ""] });
    run(r);
    r.done();
  } catch (e) {
    if (e instanceof AwsError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return "none";
}

describe("InputReader", () => {
  it("reports constraint violations in AWS's wording", () => {
    expect(violations((r) => r.string("Name", { max: 3 }))).toBe(
      "ValidationException: 1 validation error detected: Value 'abcdef' at 'name' failed to satisfy constraint: " +
        "Member must have length less than or equal to 3",
    );
  });

  it("collects every violation, nested paths included", () => {
    const message = violations((r) => {
      r.integer("Count", { max: 100 });
      r.enumValue("Kind", ["A", "B"]);
      r.string("Missing", { required: true });
      r.list("Tags", (item, at) => r.nested(item, at).string("Key", { min: 1 }));
      r.strings("Ids", {}, { min: 1 });
    });
    expect(message).toMatch(/^ValidationException: 5 validation errors detected: /);
    expect(message).toContain("Value '500' at 'count' failed to satisfy constraint: Member must have value less than or equal to 100");
    expect(message).toContain("Value 'Z' at 'kind' failed to satisfy constraint: Member must satisfy enum value set: [A, B]");
    expect(message).toContain("Value null at 'missing' failed to satisfy constraint: Member must not be null");
    expect(message).toContain("Value '' at 'tags.1.member.key'");
    expect(message).toContain("Value '' at 'ids.2.member'");
  });

  it("throws SerializationException at once for a value of the wrong type", () => {
    expect(violations((r) => r.integer("Name"))).toBe("SerializationException: Expected 'name' to be an integer.");
    expect(violations((r) => r.string("Count"))).toBe("SerializationException: Expected 'count' to be a string.");
    expect(violations((r) => r.list("Name", () => undefined))).toBe("SerializationException: Expected 'name' to be a list.");
  });

  it("treats null like an absent member", () => {
    const r = new InputReader({ Name: null });
    expect(r.string("Name")).toBeUndefined();
    expect(() => r.done()).not.toThrow();
  });
});
