import { expect, test } from "vitest";
import { csvLines, jsonWithArray, textStream, toCsv } from "@/lib/query";

const read = async (s: ReadableStream<Uint8Array>) => new TextDecoder().decode(new Uint8Array(await new Response(s).arrayBuffer()));

test("jsonWithArray gives exactly JSON.stringify's text, with and without items and a tail", () => {
  const rows = [{ id: "a", n: 1, s: 'x"y' }, { id: "b", n: null }];
  expect([...jsonWithArray({ generatedAt: "t" }, "connections", rows, { scopeErrors: [{ e: 1 }] })].join("")).toBe(JSON.stringify({ generatedAt: "t", connections: rows, scopeErrors: [{ e: 1 }] }));
  expect([...jsonWithArray({ generatedAt: "t" }, "connections", [], { scopeErrors: [] })].join("")).toBe(JSON.stringify({ generatedAt: "t", connections: [], scopeErrors: [] }));
  expect([...jsonWithArray({}, "x", [1, 2], {})].join("")).toBe('{"x":[1,2]}');
});

test("csvLines is toCsv line by line", () => {
  const records = [{ a: 'x,"y"', b: null }, { a: "=cmd()", b: 3 }];
  expect([...csvLines(["a", "b"], records)]).toEqual(["a,b\r\n", '"x,""y""",\r\n', "'=cmd(),3\r\n"]);
  expect([...csvLines(["a", "b"], records)].join("")).toBe(toCsv(["a", "b"], records));
});

test("textStream takes pieces only as the reader asks: the first chunk leaves the rest unread", async () => {
  let produced = 0;
  function* pieces() {
    for (let i = 0; i < 10_000; i++) {
      produced++;
      yield `row ${i} ${"x".repeat(90)}\n`;
    }
  }
  const stream = textStream(pieces(), 4096);
  const reader = stream.getReader();
  const first = await reader.read();
  expect(first.done).toBe(false);
  expect(first.value?.byteLength).toBeGreaterThanOrEqual(4096);
  // About one chunk's worth of rows was serialised, not the 10,000.
  expect(produced).toBeLessThan(100);
  await reader.cancel();
});

test("textStream's chunks join to the whole text", async () => {
  const pieces = Array.from({ length: 500 }, (_, i) => `${i},é,\r\n`);
  expect(await read(textStream(pieces, 100))).toBe(pieces.join(""));
  expect(await read(textStream([]))).toBe("");
});
