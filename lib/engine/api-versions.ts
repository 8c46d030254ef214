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

/**
 * Foundry Agent Service (classic agents) api-versions (shared/docs/foundry-agents.md §1.1): the same
 * protocol in v2 shapes, its lists in Foundry's envelope (./foundry.ts). `v1` is what
 * `@azure/ai-agents` sends by default.
 */
export const FOUNDRY_API_VERSIONS: readonly string[] = ["v1", "2025-05-01", "2025-05-15-preview"];

export type Surface = "azure" | "foundry";

/** Every api-version the engine answers to, with its generation and surface. */
export const ENGINE_API_VERSIONS: readonly { version: string; generation: Generation; surface: Surface }[] = [
  ...API_VERSIONS.map((v) => ({ ...v, surface: "azure" as const })),
  ...FOUNDRY_API_VERSIONS.map((version) => ({
    version,
    generation: "v2" as const,
    surface: "foundry" as const,
  })),
];

export function generationOf(apiVersion: string): Generation | undefined {
  return ENGINE_API_VERSIONS.find((v) => v.version === apiVersion)?.generation;
}

export function surfaceOf(apiVersion: string): Surface | undefined {
  return ENGINE_API_VERSIONS.find((v) => v.version === apiVersion)?.surface;
}
