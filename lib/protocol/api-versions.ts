/**
 * The api-versions that carry the Assistants protocol, the API generation each one speaks, and
 * which features a version has. The engine answers to these, the server offers them per connection
 * and the browser checks a form against them; this file is the only place they are written.
 */

/** v1: the 2024-02..04 previews (`retrieval`, `file_ids`); v2: everything later. */
export type Generation = "v1" | "v2";

/**
 * The dated Azure OpenAI api-versions that carry the Assistants API (the specs of the first of each
 * generation are in specs/azure-openai/). GA versions have no Assistants.
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

/** The Azure api-versions as a plain list, oldest first (what the UI offers). */
export const AZURE_ASSISTANTS_API_VERSIONS: readonly string[] = API_VERSIONS.map((v) => v.version);

/** The first v2 version: the default everywhere a dated version is needed and none was chosen. */
export const DEFAULT_API_VERSION = "2024-05-01-preview";

/**
 * Foundry Agent Service (classic agents) api-versions that are generally available: what a
 * configured Foundry connection may use. `v1` is the stable label `@azure/ai-agents` sends by default.
 */
export const FOUNDRY_STABLE_API_VERSIONS = ["v1", "2025-05-01"] as const;

/**
 * Every Foundry classic-agents api-version: the same protocol in v2 shapes, its lists in Foundry's
 * envelope (lib/engine/foundry.ts). The preview is what `@azure/ai-agents` defaults to internally.
 */
export const FOUNDRY_API_VERSIONS: readonly string[] = [...FOUNDRY_STABLE_API_VERSIONS, "2025-05-15-preview"];

/** What an OpenAI-compatible server reports as its version: it takes none and speaks Assistants v2. */
export const OPENAI_COMPATIBLE_API_VERSION = "v2";

export type Surface = "azure" | "foundry";

/** Every api-version the local engine answers to, with its generation and surface. */
export const ENGINE_API_VERSIONS: readonly { version: string; generation: Generation; surface: Surface }[] = [
  ...API_VERSIONS.map((v) => ({ ...v, surface: "azure" as const })),
  ...FOUNDRY_API_VERSIONS.map((version) => ({
    version,
    generation: "v2" as const,
    surface: "foundry" as const,
  })),
];

/** The generation of a known api-version; undefined for any other. */
export function generationOf(apiVersion: string): Generation | undefined {
  return ENGINE_API_VERSIONS.find((v) => v.version === apiVersion)?.generation;
}

export function surfaceOf(apiVersion: string): Surface | undefined {
  return ENGINE_API_VERSIONS.find((v) => v.version === apiVersion)?.surface;
}

/**
 * The generation a client should speak to an api-version: only the known v1 previews are v1;
 * anything else (later dated versions, Foundry's labels, an OpenAI-compatible server's `v2`) is the
 * newest surface.
 */
export function speaksGeneration(apiVersion: string): Generation {
  return generationOf(apiVersion) === "v1" ? "v1" : "v2";
}

/** json_schema response_format and function `strict` exist from this Azure api-version date on. */
export const STRUCTURED_OUTPUTS_SINCE = "2024-08-01";

export function hasStructuredOutputs(apiVersion: string): boolean {
  if (speaksGeneration(apiVersion) !== "v2") return false;
  const date = /^(\d{4}-\d{2}-\d{2})/.exec(apiVersion)?.[1];
  // Undated versions (Foundry's "v1", OpenAI-compatible servers) are the newest surface.
  return !date || date >= STRUCTURED_OUTPUTS_SINCE;
}
