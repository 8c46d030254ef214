import type { Generation } from "./model/types";

/**
 * The dated Azure OpenAI api-versions that carry the Assistants API, and the API generation each
 * one speaks (see shared/docs/assistants-api.md §1). GA versions have no Assistants.
 */
export const API_VERSIONS: readonly { version: string; generation: Generation }[] = [
  { version: "2024-02-15-preview", generation: "v1" },
  { version: "2024-03-01-preview", generation: "v1" },
  { version: "2024-04-01-preview", generation: "v1" },
  { version: "2024-05-01-preview", generation: "v2" },
  { version: "2024-07-01-preview", generation: "v2" },
  { version: "2024-08-01-preview", generation: "v2" },
  { version: "2024-09-01-preview", generation: "v2" },
  { version: "2024-10-01-preview", generation: "v2" },
  { version: "2024-12-01-preview", generation: "v2" },
  { version: "2025-01-01-preview", generation: "v2" },
  { version: "2025-02-01-preview", generation: "v2" },
  { version: "2025-03-01-preview", generation: "v2" },
  { version: "2025-04-01-preview", generation: "v2" },
];

export const DEFAULT_API_VERSION = "2024-05-01-preview";

export function generationOf(apiVersion: string): Generation | undefined {
  return API_VERSIONS.find((v) => v.version === apiVersion)?.generation;
}
