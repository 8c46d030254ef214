import { describe, expect, it } from "vitest";
import { convertMathDelimiters, mayContainMath } from "./math-delimiters";

describe("convertMathDelimiters", () => {
  it("turns \\( … \\) into inline $…$", () => {
    expect(convertMathDelimiters("The area is \\( 4\\pi r^2 \\) here.")).toBe(
      "The area is $4\\pi r^2$ here.",
    );
  });

  it("turns \\[ … \\] into a display $$ block, also across lines", () => {
    expect(convertMathDelimiters("Sum:\n\\[\n\\sum_{i=1}^n i\n\\]\nDone")).toBe(
      "Sum:\n\n$$\n\\sum_{i=1}^n i\n$$\n\nDone",
    );
  });

  it("keeps \\[ … \\] inline when it sits inside a line, so headings and quotes stay whole", () => {
    expect(convertMathDelimiters("> What is \\[ x^2 \\]?")).toBe("> What is $$x^2$$?");
  });

  it("leaves fenced code and inline code alone", () => {
    const text = "```latex\n\\( x \\)\n```\nUse `\\(a\\)` or \\(b\\).";
    expect(convertMathDelimiters(text)).toBe("```latex\n\\( x \\)\n```\nUse `\\(a\\)` or $b$.");
  });

  it("leaves an unclosed delimiter and other escapes as they are", () => {
    expect(convertMathDelimiters("a \\( b and \\* star")).toBe("a \\( b and \\* star");
    expect(convertMathDelimiters("plain $x$ text")).toBe("plain $x$ text");
  });

  it("says when a block may need KaTeX", () => {
    expect(mayContainMath("no math here")).toBe(false);
    expect(mayContainMath("\\( x \\)")).toBe(true);
    expect(mayContainMath("$x$")).toBe(true);
  });
});
