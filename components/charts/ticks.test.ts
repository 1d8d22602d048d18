import { describe, expect, test } from "vitest";
import { tickStep, timeTicks } from "./ticks";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** A range that ends at an odd time, as a live chart's does. */
const END = Date.UTC(2025, 5, 12, 14, 37);

describe("tickStep", () => {
  test("a wide plot keeps each range's usual step", () => {
    expect(tickStep(END - HOUR, END, 1000)).toBe(10 * MIN);
    expect(tickStep(END - 6 * HOUR, END, 1000)).toBe(HOUR);
    expect(tickStep(END - 24 * HOUR, END, 1000)).toBe(3 * HOUR);
    expect(tickStep(END - 7 * DAY, END, 1000)).toBe(DAY);
  });

  test("a phone-width plot (240 px: room for 4 labels) takes the first coarser round step that fits", () => {
    // 1 h: every 15 min is 4 ticks; 6 h: every 2 h is 3; 24 h: every 6 h is 4; 7 d: every 2 d is 3 or 4.
    expect(tickStep(END - HOUR, END, 240)).toBe(15 * MIN);
    expect(tickStep(END - 6 * HOUR, END, 240)).toBe(2 * HOUR);
    expect(tickStep(END - 24 * HOUR, END, 240)).toBe(6 * HOUR);
    expect(tickStep(END - 7 * DAY, END, 240)).toBe(2 * DAY);
  });

  test("never more ticks than a plot 200 px or wider has room for, never fewer than two", () => {
    for (const span of [HOUR, 6 * HOUR, 24 * HOUR, 7 * DAY]) {
      for (const end of [END, Date.UTC(2025, 0, 1)]) {
        for (const width of [200, 240, 280, 360, 500, 800]) {
          const n = timeTicks(end - span, end, tickStep(end - span, end, width)).length;
          expect(n, `${span} ms over ${width} px`).toBeLessThanOrEqual(Math.max(2, Math.floor(width / 56)));
          expect(n).toBeGreaterThanOrEqual(2);
        }
      }
    }
  });
});

describe("timeTicks", () => {
  test("ticks fall on round multiples of the step, inside the range", () => {
    expect(timeTicks(5 * MIN, 65 * MIN, 30 * MIN)).toEqual([30 * MIN, 60 * MIN]);
    expect(timeTicks(0, HOUR, 30 * MIN)).toEqual([0, 30 * MIN, HOUR]);
  });
});

describe("a plot too narrow for its range", () => {
  test("keeps two ticks rather than one", () => {
    const n = timeTicks(END - 7 * DAY, END, tickStep(END - 7 * DAY, END, 60)).length;
    expect(n).toBeGreaterThanOrEqual(2);
  });
});
