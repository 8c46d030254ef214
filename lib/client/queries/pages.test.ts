import { describe, expect, it } from "vitest";
import { collectPages } from "./pages";

async function* numbers(fetched: number[]) {
  for (let i = 1; i <= 5; i++) {
    fetched.push(i);
    yield i;
  }
}

describe("collectPages", () => {
  it("keeps every item in order, or stops at the cap without reading further", async () => {
    expect(await collectPages(numbers([]))).toEqual([1, 2, 3, 4, 5]);
    const fetched: number[] = [];
    expect(await collectPages(numbers(fetched), 2)).toEqual([1, 2]);
    expect(fetched).toEqual([1, 2]);
    expect(await collectPages(numbers([]), 0)).toEqual([]);
  });
});
