import { describe, expect, it } from "vitest";
import {
  API_VERSIONS,
  AZURE_ASSISTANTS_API_VERSIONS,
  DEFAULT_API_VERSION,
  FOUNDRY_API_VERSIONS,
  FOUNDRY_STABLE_API_VERSIONS,
  generationOf,
  hasStructuredOutputs,
  speaksGeneration,
  surfaceOf,
} from "./api-versions";
import {
  ARCHIVE_JSON_ENTRIES,
  fileIdOfEntry,
  filePath,
  isInThreadsFolder,
  isThreadEntry,
  threadPath,
} from "./backup-archive";
import { LIMITS } from "./limits";

describe("api-versions", () => {
  it("knows the v1 previews, and every later version speaks v2", () => {
    expect(API_VERSIONS.filter((v) => v.generation === "v1").map((v) => v.version)).toEqual([
      "2024-02-15-preview",
      "2024-03-01-preview",
      "2024-04-01-preview",
    ]);
    expect(generationOf(DEFAULT_API_VERSION)).toBe("v2");
    expect(generationOf("2024-10-21")).toBeUndefined();
    expect(speaksGeneration("2024-04-01-preview")).toBe("v1");
    expect(speaksGeneration("v1")).toBe("v2"); // Foundry's label, not the v1 generation
    expect(speaksGeneration("v2")).toBe("v2");
    expect(speaksGeneration("2099-01-01-preview")).toBe("v2");
  });

  it("lists Azure's versions oldest first, and Foundry's stable ones before its preview", () => {
    expect([...AZURE_ASSISTANTS_API_VERSIONS].sort()).toEqual(AZURE_ASSISTANTS_API_VERSIONS);
    expect(FOUNDRY_API_VERSIONS.slice(0, FOUNDRY_STABLE_API_VERSIONS.length)).toEqual([
      ...FOUNDRY_STABLE_API_VERSIONS,
    ]);
    expect(surfaceOf("2025-05-15-preview")).toBe("foundry");
    expect(surfaceOf("2025-04-01-preview")).toBe("azure");
  });

  it("says where structured outputs begin", () => {
    expect(hasStructuredOutputs("2024-07-01-preview")).toBe(false);
    expect(hasStructuredOutputs("2024-08-01-preview")).toBe(true);
    expect(hasStructuredOutputs("2024-02-15-preview")).toBe(false);
    expect(hasStructuredOutputs("v1")).toBe(true);
    expect(hasStructuredOutputs("v2")).toBe(true);
  });
});

describe("limits", () => {
  it("keeps the static chunking default inside its range, the overlap at half", () => {
    const { min, max, default: size } = LIMITS.staticChunkSize;
    expect(min).toBeLessThanOrEqual(size);
    expect(size).toBeLessThanOrEqual(max);
    expect(LIMITS.staticChunkOverlapDefault).toBe(size / 2);
  });
});

describe("backup archive names", () => {
  it("round-trips file and thread entries, and refuses ids that could leave their folder", () => {
    expect(fileIdOfEntry(filePath("file-abc_1"))).toBe("file-abc_1");
    expect(fileIdOfEntry("files/../manifest.json")).toBeNull();
    expect(fileIdOfEntry("files/a/b")).toBeNull();
    expect(fileIdOfEntry("assistants.json")).toBeNull();
    expect(isThreadEntry(threadPath("thread_1"))).toBe(true);
    expect(isThreadEntry("threads/../x.json")).toBe(false);
    expect(isInThreadsFolder("threads/../x.json")).toBe(true);
    expect(ARCHIVE_JSON_ENTRIES).toContain("manifest.json");
  });
});
