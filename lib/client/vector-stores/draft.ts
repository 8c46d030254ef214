import type { VectorStoreCreateParams } from "openai/resources/vector-stores/vector-stores";
import { LIMITS } from "@/lib/protocol/limits";

export const MAX_BATCH_FILES = LIMITS.filesPerBatch;
export const EXPIRY_DAYS = LIMITS.vectorStoreExpiryDays;

export interface VectorStoreDraft {
  name: string;
  /** null: never expires. */
  expiresAfterDays: number | null;
  chunking: { type: "auto" } | { type: "static"; maxChunkSizeTokens: number; chunkOverlapTokens: number };
  fileIds: string[];
}

export interface DraftErrors {
  name?: string;
  expiresAfterDays?: string;
  maxChunkSizeTokens?: string;
  chunkOverlapTokens?: string;
  fileIds?: string;
}

/** The protocol's limits, checked before sending; keys name the field a message belongs beside. */
export function validateVectorStoreDraft(d: VectorStoreDraft): DraftErrors {
  const e: DraftErrors = {};
  if (d.name.length > LIMITS.nameLength) e.name = `At most ${LIMITS.nameLength} characters.`;
  if (d.expiresAfterDays !== null) {
    if (
      !Number.isInteger(d.expiresAfterDays) ||
      d.expiresAfterDays < EXPIRY_DAYS.min ||
      d.expiresAfterDays > EXPIRY_DAYS.max
    )
      e.expiresAfterDays = `A whole number of days from ${EXPIRY_DAYS.min} to ${EXPIRY_DAYS.max}.`;
  }
  if (d.chunking.type === "static") {
    const { maxChunkSizeTokens: size, chunkOverlapTokens: overlap } = d.chunking;
    const { min, max } = LIMITS.staticChunkSize;
    if (!Number.isInteger(size) || size < min || size > max)
      e.maxChunkSizeTokens = `A whole number from ${min} to ${max}.`;
    if (!Number.isInteger(overlap) || overlap < 0) e.chunkOverlapTokens = "A whole number, 0 or more.";
    else if (Number.isInteger(size) && overlap > size / 2)
      e.chunkOverlapTokens = `At most half the chunk size (${Math.floor(size / 2)}).`;
  }
  if (d.fileIds.length > MAX_BATCH_FILES) e.fileIds = `At most ${MAX_BATCH_FILES} files at once.`;
  return e;
}

export function chunkingParam(d: VectorStoreDraft["chunking"]): VectorStoreCreateParams["chunking_strategy"] {
  return d.type === "auto"
    ? { type: "auto" }
    : {
        type: "static",
        static: { max_chunk_size_tokens: d.maxChunkSizeTokens, chunk_overlap_tokens: d.chunkOverlapTokens },
      };
}
