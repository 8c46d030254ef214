import { describe, expect, it } from "vitest";
import { fileRequest, isChartRequest, isCodeRequest, themeRequest } from "./intents";

describe("intents", () => {
  it("recognises chart requests", () => {
    for (const t of [
      "Create a visualization of a sinewave",
      "plot x^2",
      "Can you graph this?",
      "Visualise the sales",
      "draw a histogram",
    ])
      expect(isChartRequest(t), t).toBe(true);
    for (const t of [
      "What is a sine?",
      "Show me the code you used to generate the sinewave",
      "What's a graph database?",
      "What is the plot of Hamlet?",
    ])
      expect(isChartRequest(t), t).toBe(false);
  });

  it("recognises requests for the code", () => {
    for (const t of [
      "Show me the code you used to generate the sinewave",
      "What code did you use?",
      "which python did you run",
      "Can I see the script?",
      "code you used please",
    ])
      expect(isCodeRequest(t), t).toBe(true);
    for (const t of ["Create a visualization of a sinewave", "Explain the zip code system"])
      expect(isCodeRequest(t), t).toBe(false);
  });

  it("recognises file requests and their format", () => {
    expect(fileRequest("Export the data as a CSV file")).toEqual({ format: "csv" });
    expect(fileRequest("save it to out.json please")).toEqual({ format: "json", filename: "out.json" });
    expect(fileRequest("Create a text file with the values")).toEqual({ format: "txt" });
    expect(fileRequest("What is a CSV?")).toBeNull();
  });

  it("recognises dark and light mode", () => {
    expect(themeRequest("I prefer visualizations in darkmode")).toBe(true);
    expect(themeRequest("use a dark theme")).toBe(true);
    expect(themeRequest("switch back to light mode")).toBe(false);
    expect(themeRequest("a sine wave")).toBeUndefined();
  });
});
