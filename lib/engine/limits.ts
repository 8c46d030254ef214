import { LIMITS as PROTOCOL_LIMITS } from "../protocol/limits";

/** The protocol's limits (lib/protocol/limits.ts) and the engine's own waits. */
export const LIMITS = {
  ...PROTOCOL_LIMITS,
  /** Runs wait this long for a thread's vector store that is still ingesting. */
  vectorStoreWaitMs: 60_000,
} as const;

const MiB = 1024 * 1024;

/**
 * What reading one uploaded document or one backup may cost, whatever its headers declare: every
 * decompression counts the bytes it inflates and stops at these (lib/engine/README.md,
 * "Decompression limits").
 */
export const EXTRACTION_LIMITS = {
  /** One part of a DOCX or PPTX (word/document.xml, a slide), inflated. */
  zipPartBytes: 64 * MiB,
  /** All the parts read from one DOCX or PPTX, inflated. */
  zipTotalBytes: 256 * MiB,
  /** All the FlateDecode streams of one PDF, inflated (a filter chain counts every stage). */
  pdfInflatedBytes: 256 * MiB,
  /** Pages read from one PDF. */
  pdfPages: 10_000,
  /** Text from one document: file search's 5,000,000 tokens per file, at 4 characters a token. */
  documentTextChars: 20_000_000,
} as const;

/** ~4 characters per token: deterministic, good enough for limits and usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
