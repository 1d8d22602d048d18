import { describe, expect, test } from "vitest";
import { GlobError, globMatch } from "./glob";

// The examples of https://docs.aws.amazon.com/codepipeline/latest/userguide/syntax-glob.html and
// of the trigger filter examples in pipelines-filter-cli.html.
describe("AWS documentation examples", () => {
  test.each([
    ["*.java", "Main.java", true],
    ["*.java", "src/Main.java", false], // * stays within a directory
    ["*.*", "notes.txt", true],
    ["*.*", "Makefile", false],
    ["*.{java,class}", "Main.class", true],
    ["*.{java,class}", "Main.kt", false],
    ["foo.?", "foo.c", true],
    ["foo.?", "foo.cc", false],
    ["my-file.jar", "my-file.jar", true],
    ["directory/my-file.jar", "directory/my-file.jar", true],
    ["**", "a/b/c.txt", true],
    ["directory/**", "directory/a/b.txt", true],
    ["directory/*", "directory/a.txt", true],
    ["directory/*", "directory/a/b.txt", false],
    ["projectA/**", "projectA/src/index.ts", true],
    ["common/**/*.js", "common/lib/util/x.js", true],
    ["common/**/*.js", "common/x.ts", false],
    ["**/README.md", "docs/README.md", true],
    ["feature/**", "feature/login/oauth", true],
    ["release/**", "release/2026.11", true],
    ["mainline", "mainline", true],
    ["release-v0", "release-v1", false],
  ])("%s ~ %s → %s", (glob, value, expected) => {
    expect(globMatch(glob, value)).toBe(expected);
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
