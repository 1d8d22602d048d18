import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { glob, GlobSyntaxError } from "./glob";

/**
 * The shared trigger-filter vectors: AWS's documented glob examples and the edge cases Tether's
 * own matcher (the app's) is held to as well, so the emulator (playing AWS) and Tether's trigger
 * simulator agree on every filter.
 */
interface Vector {
  pattern: string;
  value: string;
  matches: boolean;
}
const vectors = JSON.parse(readFileSync(new URL("../../../testdata/trigger-filter-globs.json", import.meta.url), "utf8")) as {
  documented: Vector[];
  edgeCases: Vector[];
  invalid: { pattern: string }[];
};

describe("trigger-filter glob vectors (testdata/trigger-filter-globs.json)", () => {
  test.each([...vectors.documented, ...vectors.edgeCases].map((v) => [v.pattern, v.value, v.matches] as const))(
    "%s ~ %s → %s",
    (pattern, value, matches) => {
      expect(glob(pattern).test(value)).toBe(matches);
    },
  );

  test.each(vectors.invalid.map((v) => v.pattern))("rejects %s", (pattern) => {
    expect(() => glob(pattern)).toThrow(GlobSyntaxError);
  });
});
