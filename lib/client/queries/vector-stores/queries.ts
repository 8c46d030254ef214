import { queryOptions, skipToken } from "@tanstack/react-query";
import type { VectorStore } from "openai/resources/vector-stores/vector-stores";
import type { VectorStoreFile } from "openai/resources/vector-stores/files";
import type { ConnectionRef } from "../../sdk";
import { collectPages } from "../pages";
import { NO_CONNECTION, type ClientScope } from "../scope";

export const vectorStoreKeys = {
  all: ["vector-stores"] as const,
  /** A connection's vector stores under every api-version: what a write makes stale. */
  connection: (name: string) => [...vectorStoreKeys.all, name] as const,
  scope: (c: ConnectionRef) => [...vectorStoreKeys.connection(c.name), c.apiVersion] as const,
  list: (c: ConnectionRef) => [...vectorStoreKeys.scope(c), "list"] as const,
  detail: (c: ConnectionRef, id: string) => [...vectorStoreKeys.scope(c), "detail", id] as const,
  files: (c: ConnectionRef, id: string) => [...vectorStoreKeys.detail(c, id), "files"] as const,
  batch: (c: ConnectionRef, id: string, batchId: string) =>
    [...vectorStoreKeys.detail(c, id), "batch", batchId] as const,
};

/** While anything is ingesting, lists and details poll (live status). */
export const INGEST_POLL_MS = 1000;

export function vectorStoreListQuery(scope: ClientScope | null) {
  return queryOptions({
    queryKey: vectorStoreKeys.list(scope?.connection ?? NO_CONNECTION),
    queryFn: scope
      ? async ({ signal }): Promise<VectorStore[]> => {
          return collectPages(
            scope.client.vectorStores.list({ limit: 100, order: "desc" }, { signal }),
            1000,
          );
        }
      : skipToken,
    refetchInterval: (q) =>
      q.state.data?.some((vs) => vs.status === "in_progress" || vs.file_counts.in_progress > 0)
        ? INGEST_POLL_MS
        : false,
  });
}

export function vectorStoreDetailQuery(scope: ClientScope | null, id: string | null) {
  return queryOptions({
    queryKey: vectorStoreKeys.detail(scope?.connection ?? NO_CONNECTION, id ?? ""),
    queryFn: scope && id ? ({ signal }) => scope.client.vectorStores.retrieve(id, { signal }) : skipToken,
    refetchInterval: (q) =>
      q.state.data && q.state.data.file_counts.in_progress > 0 ? INGEST_POLL_MS : false,
  });
}

export function vectorStoreFilesQuery(scope: ClientScope | null, id: string | null) {
  return queryOptions({
    queryKey: vectorStoreKeys.files(scope?.connection ?? NO_CONNECTION, id ?? ""),
    queryFn:
      scope && id
        ? async ({ signal }): Promise<VectorStoreFile[]> => {
            return collectPages(
              scope.client.vectorStores.files.list(id, { limit: 100, order: "desc" }, { signal }),
              10_000,
            );
          }
        : skipToken,
    refetchInterval: (q) => (q.state.data?.some((f) => f.status === "in_progress") ? INGEST_POLL_MS : false),
  });
}

export function fileBatchQuery(scope: ClientScope | null, vectorStoreId: string, batchId: string | null) {
  return queryOptions({
    queryKey: vectorStoreKeys.batch(scope?.connection ?? NO_CONNECTION, vectorStoreId, batchId ?? ""),
    queryFn:
      scope && batchId
        ? ({ signal }) =>
            scope.client.vectorStores.fileBatches.retrieve(
              batchId,
              { vector_store_id: vectorStoreId },
              { signal },
            )
        : skipToken,
    refetchInterval: (q) => (q.state.data?.status === "in_progress" ? INGEST_POLL_MS : false),
  });
}
