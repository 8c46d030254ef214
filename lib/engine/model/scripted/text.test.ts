import { describe, expect, it } from "vitest";
import { keywords, numbersIn, properNouns, quotedStrings, stem } from "./text";

describe("text helpers", () => {
  it("finds quantities, not dates, times or digits inside words", () => {
    const values = (t: string) => numbersIn(t).map((n) => n.value);
    expect(values("a 3-day forecast")).toEqual([3]);
    expect(values("on 2024-01-01 at 10:30")).toEqual([]);
    expect(values("values 3,5,2,8")).toEqual([3, 5, 2, 8]);
    expect(values("1,000 people and -5 degrees")).toEqual([1000, -5]);
    expect(values("gpt4o mp3 $20 and 3.14")).toEqual([20, 3.14]);
  });

  it("finds names and places, not sentence-initial verbs or units", () => {
    expect(
      properNouns("What's the weather in Paris in Fahrenheit? Tell me about New York and São Paulo."),
    ).toEqual(["Paris", "New York", "São Paulo"]);
    expect(properNouns("Use create_order for Grace Hopper")).toEqual(["Grace Hopper"]);
  });

  it("finds quoted strings", () => {
    expect(quotedStrings(`name it "Q3 report" or “draft” or \`final\``)).toEqual([
      "Q3 report",
      "draft",
      "final",
    ]);
  });

  it("stems and drops stop-words", () => {
    expect(stem("cities")).toBe("city");
    expect(stem("forecasts")).toBe("forecast");
    expect(keywords("What is the weather in the cities?")).toEqual(["weather", "city"]);
  });
});
