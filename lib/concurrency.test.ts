import { expect, test } from "vitest";
import { mapLimit } from "./concurrency";

test("mapLimit keeps order and never exceeds the limit", async () => {
  let running = 0;
  let peak = 0;
  const out = await mapLimit([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, n));
    running--;
    return n * 10;
  });
  expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
  expect(peak).toBe(3);
});

test("mapLimit on an empty list", async () => {
  expect(await mapLimit([], 4, async () => 1)).toEqual([]);
});
