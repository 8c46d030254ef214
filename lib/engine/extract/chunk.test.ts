import { describe, expect, it } from "vitest";
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
