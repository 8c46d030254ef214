/**
 * The Assistants API limits from the Azure OpenAI specs (specs/azure-openai/): the engine enforces
 * them, the proxy sizes bodies by them and the browser checks forms and uploads against them.
 */

const MiB = 1024 * 1024;

export const LIMITS = {
  toolsPerAssistant: 128,
  toolsPerRunOverride: 20,
  codeInterpreterFiles: 20,
  v1FileIdsPerAssistant: 20,
  v1FileIdsPerMessage: 10,
  vectorStoresPerAssistant: 1,
  vectorStoresPerThread: 1,
  /** The largest file the Files API accepts. */
  maxFileBytes: 512 * MiB,
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
  /** A static chunking strategy's max_chunk_size_tokens; the overlap defaults to half the default size. */
  staticChunkSize: { min: 100, max: 4096, default: 800 },
  staticChunkOverlapDefault: 400,
  fileSearchMaxResults: { min: 1, max: 50, default: 20 },
  threadHelperVectorStoreDays: 7,
} as const;

/** A function tool's name, and a json_schema response format's name. */
export const FUNCTION_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * The largest JSON request body the proxy forwards and the engine reads (the Assistants API's
 * biggest real bodies, 128 tools with schemas or 10,000 file ids, are far below it).
 */
export const MAX_JSON_BODY_BYTES = 8 * MiB;
