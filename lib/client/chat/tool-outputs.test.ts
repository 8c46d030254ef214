import { describe, expect, it } from "vitest";
import { prettyArguments, sampleToolOutput, validateToolOutput } from "./tool-outputs";

describe("tool outputs", () => {
  it("pretty-prints JSON arguments and leaves other text alone", () => {
    expect(prettyArguments('{"city":"Lisbon"}')).toBe('{\n  "city": "Lisbon"\n}');
    expect(prettyArguments("not json")).toBe("not json");
  });
  it("validates outputs that look like JSON, accepts plain text", () => {
    expect(validateToolOutput('{"a": 1}')).toBeNull();
    expect(validateToolOutput("21 degrees and sunny")).toBeNull();
    expect(validateToolOutput('{"a": 1')).toMatch(/^This looks like JSON but does not parse/);
    expect(validateToolOutput("  ")).toBe("Enter an output (plain text or JSON).");
  });
  it("fills a sample that is valid JSON and echoes the arguments", () => {
    const sample = sampleToolOutput("get_weather", '{"city":"Lisbon"}');
    expect(validateToolOutput(sample)).toBeNull();
    expect(JSON.parse(sample)).toMatchObject({ city: "Lisbon", conditions: "partly cloudy" });
    expect(JSON.parse(sampleToolOutput("lookup", "x"))).toMatchObject({ function: "lookup", input: {} });
  });
});
