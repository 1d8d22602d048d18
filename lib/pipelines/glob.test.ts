import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { GlobError, globMatch } from "./glob";

// The shared trigger-filter vectors: AWS's documented glob examples (the CodePipeline user guide
// pages cited in the file) and the edge cases the emulator's matcher is held to as well, so
// Tether's trigger simulator and the emulator (playing AWS) agree on every filter.
interface Vector {
  pattern: string;
  value: string;
  matches: boolean;
}
const vectors = JSON.parse(readFileSync(new URL("../../testdata/trigger-filter-globs.json", import.meta.url), "utf8")) as {
  documented: Vector[];
  edgeCases: Vector[];
  invalid: { pattern: string }[];
};

describe("trigger-filter glob vectors (testdata/trigger-filter-globs.json)", () => {
  test.each([...vectors.documented, ...vectors.edgeCases].map((v) => [v.pattern, v.value, v.matches] as const))(
    "%s ~ %s → %s",
    (pattern, value, matches) => {
      expect(globMatch(pattern, value)).toBe(matches);
    },
  );

  test.each(vectors.invalid.map((v) => v.pattern))("rejects %s", (pattern) => {
    expect(() => globMatch(pattern, "a")).toThrow(GlobError);
  });
});

describe("the rest of the syntax", () => {
  test("** is any characters, so a root README.md needs its own pattern", () => {
    expect(globMatch("**/README.md", "README.md")).toBe(false);
    expect(globMatch("{README.md,**/README.md}", "README.md")).toBe(true);
  });

  test("sets, ranges, negation and literal brackets", () => {
    expect(globMatch("v[0-9].*", "v2.1")).toBe(true);
    expect(globMatch("v[!0-9]*", "vx")).toBe(true);
    expect(globMatch("v[!0-9]*", "v1")).toBe(false);
    expect(globMatch("[-a]", "-")).toBe(true);
    expect(globMatch("[*?]", "*")).toBe(true);
  });

  test("escapes and regex characters are literal", () => {
    expect(globMatch("a\\*b", "a*b")).toBe(true);
    expect(globMatch("a\\*b", "axb")).toBe(false);
    expect(globMatch("a.b", "axb")).toBe(false);
    expect(globMatch("(x)+", "(x)+")).toBe(true);
  });

  test.each(["{a,{b}}", "{a", "[a", "a\\"])("rejects %s", (glob) => {
    expect(() => globMatch(glob, "a")).toThrow(GlobError);
  });
});
