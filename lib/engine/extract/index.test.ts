import { describe, expect, it } from "vitest";
import { canExtract, extractText, ExtractionError, MAX_DOCUMENT_BYTES } from "./index";

describe("extractText", () => {
  it("knows what it can read", () => {
    expect(canExtract("a.PDF")).toBe(true);
    expect(canExtract("b.docx")).toBe(true);
    expect(canExtract("c.pptx")).toBe(true);
    expect(canExtract("d.md")).toBe(true);
    expect(canExtract("e.png")).toBe(false);
    expect(canExtract("f.doc")).toBe(false);
  });

  it("refuses unknown types with unhandled_mime_type and oversized documents with parsing_error", () => {
    const unknown = (() => {
      try {
        extractText("/nonexistent", "sheet.xlsx", 10);
      } catch (e) {
        return e;
      }
    })();
    expect(unknown).toBeInstanceOf(ExtractionError);
    expect(unknown).toMatchObject({ code: "unhandled_mime_type" });
    expect((unknown as Error).message).toContain("'.xlsx'");
    expect(() => extractText("/nonexistent", "big.pdf", MAX_DOCUMENT_BYTES + 1)).toThrow(
      expect.objectContaining({ code: "parsing_error" }),
    );
  });
});
