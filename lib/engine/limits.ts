/** The Assistants API limits from the Azure OpenAI specs (shared/docs/assistants-api.md §8). */
export const LIMITS = {
  toolsPerAssistant: 128,
  toolsPerRunOverride: 20,
  codeInterpreterFiles: 20,
  v1FileIdsPerAssistant: 20,
  v1FileIdsPerMessage: 10,
  vectorStoresPerAssistant: 1,
  vectorStoresPerThread: 1,
  maxFileBytes: 512 * 1024 * 1024,
  metadataKeys: 16,
  metadataKeyLength: 64,
  metadataValueLength: 512,
  nameLength: 256,
  descriptionLength: 512,
  instructionsLength: { v1: 32_768, v2: 256_000 },
  messageContentLength: { v1: 32_768, v2: 256_000 },
  filesPerBatch: 500,
  filesPerVectorStoreHelper: 10_000,
  listLimitMin: 1,
  listLimitMax: 100,
  listLimitDefault: 20,
  filesListLimitMax: 10_000,
  temperature: { min: 0, max: 2 },
  topP: { min: 0, max: 1 },
  minTokenLimit: 256,
  vectorStoreExpiryDays: { min: 1, max: 365 },
  staticChunkSize: { min: 100, max: 4096, default: 800 },
  staticChunkOverlapDefault: 400,
  fileSearchMaxResults: { min: 1, max: 50, default: 20 },
  /** Runs wait this long for a thread's vector store that is still ingesting. */
  vectorStoreWaitMs: 60_000,
  threadHelperVectorStoreDays: 7,
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
