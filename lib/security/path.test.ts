import { expect, test } from "vitest";
import { isDecodablePath, isPlainSegment, pageSegment } from "./path";

test("5. path segments are decoded exactly once: a % left after that names nothing", () => {
  // Route handlers get segments decoded once: `%25` arrives as "%", `%2541` as "%41".
  expect(isPlainSegment("5744561b-3143-478f-a241-0ffa1a109371")).toBe(true);
  expect(isPlainSegment("arn:aws:codestar-connections:us-east-1:111111111111:connection/5744561b-3143-478f-a241-0ffa1a109371")).toBe(true);
  for (const bad of ["%", "%25", "%41", "x\ty", "", "a".repeat(2049)]) expect(isPlainSegment(bad), JSON.stringify(bad)).toBe(false);
  // Pages get them as the URL had them.
  expect(pageSegment("arn%3Aaws%3Acodestar-connections%3Aus-east-1%3A111111111111%3Aconnection%2Fabc")).toBe("arn:aws:codestar-connections:us-east-1:111111111111:connection/abc");
  expect(pageSegment("deploy%40prod")).toBe("deploy@prod");
  for (const bad of ["%25", "%2541", "%E0%A4%A", "%09"]) expect(pageSegment(bad), bad).toBeNull();
  expect(isDecodablePath("/connections/arn%3Aaws%2Fx")).toBe(true);
  expect(isDecodablePath("/api/connections/%E0%A4%A/resume")).toBe(false);
});
