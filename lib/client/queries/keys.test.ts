import { describe, expect, it } from "vitest";
import { QueryClient } from "@tanstack/react-query";
import type { AzureOpenAI } from "openai";
import type { Assistant } from "openai/resources/beta/assistants";
import type { ClientScope } from "./scope";
import { assistantDetailQuery, assistantListQuery, assistantPagesQuery } from "./assistants/queries";
import { onAssistantSaved } from "./assistants/mutations";
import { fileBlobQuery, fileDetailQuery, fileListQuery, fileTextPreviewQuery } from "./files/queries";
import { latestRunQuery, runStepsQuery, threadRunsQuery } from "./runs/queries";
import {
  fileBatchQuery,
  vectorStoreDetailQuery,
  vectorStoreFilesQuery,
  vectorStoreListQuery,
} from "./vector-stores/queries";

const scope = (apiVersion: string): ClientScope => ({
  client: {} as AzureOpenAI,
  connection: { name: "local", apiVersion },
});
const v1 = scope("2024-02-15-preview");
const v2 = scope("2025-04-01-preview");

// Every query of a connection, built for one scope.
const keysOf = (s: ClientScope) => [
  assistantListQuery(s).queryKey,
  assistantPagesQuery(s, "desc").queryKey,
  assistantDetailQuery(s, "asst_1").queryKey,
  fileListQuery(s).queryKey,
  fileListQuery(s, "assistants").queryKey,
  fileDetailQuery(s, "file_1").queryKey,
  fileBlobQuery(s, "file_1").queryKey,
  fileTextPreviewQuery(s, "file_1").queryKey,
  latestRunQuery(s, "thread_1").queryKey,
  threadRunsQuery(s, "thread_1").queryKey,
  runStepsQuery(s, "thread_1", "run_1").queryKey,
  runStepsQuery(s, "thread_1", "run_1", { fileSearchContent: true }).queryKey,
  vectorStoreListQuery(s).queryKey,
  vectorStoreDetailQuery(s, "vs_1").queryKey,
  vectorStoreFilesQuery(s, "vs_1").queryKey,
  fileBatchQuery(s, "vs_1", "batch_1").queryKey,
];

describe("query keys", () => {
  it("name the connection and the api-version, so one version never shows another's answers", () => {
    const a = keysOf(v1).map((k) => JSON.stringify(k));
    const b = keysOf(v2).map((k) => JSON.stringify(k));
    for (const [i, key] of a.entries()) {
      expect(key).toContain('"local"');
      expect(key).toContain('"2024-02-15-preview"');
      expect(key).not.toBe(b[i]);
    }
    expect(new Set(a).size).toBe(a.length);
  });

  it("a write under one api-version shows at once there and makes every version's view stale", async () => {
    const queryClient = new QueryClient();
    const old = { id: "asst_1", name: "Old" } as Assistant;
    queryClient.setQueryData(assistantListQuery(v1).queryKey, [old]);
    queryClient.setQueryData(assistantListQuery(v2).queryKey, [old]);
    await onAssistantSaved(queryClient, v2.connection, { ...old, name: "New" });
    expect(queryClient.getQueryData(assistantListQuery(v2).queryKey)?.[0]?.name).toBe("New");
    expect(queryClient.getQueryData(assistantListQuery(v1).queryKey)?.[0]?.name).toBe("Old");
    expect(queryClient.getQueryState(assistantListQuery(v1).queryKey)?.isInvalidated).toBe(true);
    expect(queryClient.getQueryData(assistantDetailQuery(v2, "asst_1").queryKey)?.name).toBe("New");
  });
});
