import { expect, test } from "vitest";
import { LISTINGS_SHOWN, worstListingsFirst } from "./health";

const listing = (key: string, ok: boolean, stale = false) => ({ key, ok, stale });

test("failing listings first, then stale ones, then the rest, each in configuration order", () => {
  const all = [listing("a", true), listing("b", false, true), listing("c", true, true), listing("d", false), listing("e", true)];
  expect(worstListingsFirst(all, true).shown.map((l) => l.key)).toEqual(["b", "d", "c", "a", "e"]);
});

test("at most LISTINGS_SHOWN unless all, with the total; a failing listing at the end of a large fleet is shown", () => {
  const many = Array.from({ length: 297 }, (_, i) => listing(`s${i}`, i !== 296));
  const cut = worstListingsFirst(many, false);
  expect(cut.total).toBe(297);
  expect(cut.shown).toHaveLength(LISTINGS_SHOWN);
  expect(cut.shown[0]?.key).toBe("s296");
  expect(cut.shown[1]?.key).toBe("s0");
  expect(worstListingsFirst(many, true).shown).toHaveLength(297);
  expect(worstListingsFirst(many.slice(0, 6), false).shown).toHaveLength(6);
});
