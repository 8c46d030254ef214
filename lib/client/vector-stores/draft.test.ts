import { describe, expect, it } from "vitest";
import { chunkingParam, validateVectorStoreDraft, type VectorStoreDraft } from "./draft";

const draft = (over: Partial<VectorStoreDraft> = {}): VectorStoreDraft => ({
  name: "Docs",
  expiresAfterDays: null,
  chunking: { type: "auto" },
  fileIds: [],
  ...over,
});

describe("validateVectorStoreDraft", () => {
  it("accepts the protocol's bounds", () => {
    expect(validateVectorStoreDraft(draft())).toEqual({});
    expect(
      validateVectorStoreDraft(
        draft({
          expiresAfterDays: 365,
          chunking: { type: "static", maxChunkSizeTokens: 4096, chunkOverlapTokens: 2048 },
        }),
      ),
    ).toEqual({});
    expect(
      validateVectorStoreDraft(
        draft({ chunking: { type: "static", maxChunkSizeTokens: 100, chunkOverlapTokens: 0 } }),
      ),
    ).toEqual({});
  });

  it("names the field and the limit for each mistake", () => {
    expect(
      validateVectorStoreDraft(
        draft({
          name: "x".repeat(257),
          expiresAfterDays: 0,
          chunking: { type: "static", maxChunkSizeTokens: 99, chunkOverlapTokens: 60 },
          fileIds: Array.from({ length: 501 }, (_, i) => `f${i}`),
        }),
      ),
    ).toEqual({
      name: "At most 256 characters.",
      expiresAfterDays: "A whole number of days from 1 to 365.",
      maxChunkSizeTokens: "A whole number from 100 to 4096.",
      chunkOverlapTokens: "At most half the chunk size (49).",
      fileIds: "At most 500 files at once.",
    });
    expect(
      validateVectorStoreDraft(
        draft({ chunking: { type: "static", maxChunkSizeTokens: 800, chunkOverlapTokens: -1 } }),
      ),
    ).toEqual({ chunkOverlapTokens: "A whole number, 0 or more." });
    expect(validateVectorStoreDraft(draft({ expiresAfterDays: 1.5 }))).toHaveProperty("expiresAfterDays");
    expect(
      validateVectorStoreDraft(
        draft({ chunking: { type: "static", maxChunkSizeTokens: NaN, chunkOverlapTokens: 0 } }),
      ),
    ).toHaveProperty("maxChunkSizeTokens");
  });

  it("maps the chunking choice to the wire shape", () => {
    expect(chunkingParam({ type: "auto" })).toEqual({ type: "auto" });
    expect(chunkingParam({ type: "static", maxChunkSizeTokens: 300, chunkOverlapTokens: 100 })).toEqual({
      type: "static",
      static: { max_chunk_size_tokens: 300, chunk_overlap_tokens: 100 },
    });
  });
});
