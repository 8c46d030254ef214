import { describe, expect, it } from "vitest";
import { runIsolated } from "@/tests/helpers/isolated";
import { chunkText } from "./chunk";

async function chunks(pieces: string[], size: number, overlap: number) {
  const out: string[] = [];
  async function* source() {
    yield* pieces;
  }
  await chunkText(source(), size, overlap, (c) => out.push(c));
  return out;
}

describe("chunkText", () => {
  it("cuts at spaces, never over the size, and joins back to the text without overlap", async () => {
    const text = Array.from({ length: 200 }, (_, i) => `w${i}`).join(" ");
    const out = await chunks([text.slice(0, 333), text.slice(333)], 50, 0);
    expect(out.every((c) => c.length <= 50)).toBe(true);
    expect(out.join(" ")).toBe(text);
  });

  it("starts each chunk inside the end of the previous one with overlap", async () => {
    const text = Array.from({ length: 100 }, (_, i) => `word${i}`).join(" ");
    const out = await chunks([text], 60, 20);
    expect(out.length).toBeGreaterThan(1);
    for (let i = 1; i < out.length; i++) {
      const first = out[i]!.split(" ")[0]!;
      // The first word is whole and repeats one near the end of the previous chunk.
      expect(out[i - 1]!.split(" ").slice(-5)).toContain(first);
    }
  });

  it("cuts long words hard and drops blank chunks", async () => {
    expect(await chunks(["a".repeat(25)], 10, 0)).toEqual(["a".repeat(10), "a".repeat(10), "a".repeat(5)]);
    expect(await chunks(["   ", "\n\n"], 10, 0)).toEqual([]);
  });
});

describe("chunkText refuses sizes it cannot honour", () => {
  // A size of 0 or below used to loop forever on the first piece of text (synchronously: no
  // in-process timeout can stop that), so every case runs in its own process with a deadline.
  const cases: [string, number, number][] = [
    ["size 0", 0, 0],
    ["negative size", -8, 0],
    ["fractional size", 10.5, 0],
    ["size not a number", Number.NaN, 0],
    ["infinite size", Number.POSITIVE_INFINITY, 0],
    ["negative overlap", 100, -1],
    ["overlap above half the size", 100, 51],
    ["fractional overlap", 100, 2.5],
  ];
  it.each(cases)("%s (size %d, overlap %d) throws a RangeError, promptly", async (_, size, overlap) => {
    const run = await runIsolated(
      `import { chunkText } from "@root/lib/engine/extract/chunk.ts";
      async function* source() { yield "some words to cut into chunks"; }
      try {
        await chunkText(source(), ${size}, ${overlap}, () => {});
        console.log("accepted");
      } catch (e) {
        console.log(e instanceof RangeError ? "RangeError: " + e.message : "other: " + String(e));
      }`,
      10_000,
    );
    expect(run.finished, "chunkText did not return within 10 s").toBe(true);
    expect(run.stdout).toMatch(/^RangeError: /);
  });

  it("accepts the edges: size 1, overlap 0, overlap exactly half the size", async () => {
    expect(await chunks(["ab"], 1, 0)).toEqual(["a", "b"]);
    expect((await chunks(["aaaa bbbb cccc dddd"], 10, 5)).length).toBeGreaterThan(1);
  });
});
