import { queryOptions, skipToken, type QueryClient } from "@tanstack/react-query";
import type {
  VectorStore,
  VectorStoreCreateParams,
  VectorStoreUpdateParams,
} from "openai/resources/vector-stores/vector-stores";
import type { VectorStoreFile } from "openai/resources/vector-stores/files";
import type { VectorStoreFileBatch } from "openai/resources/vector-stores/file-batches";
import { LIMITS } from "@/lib/protocol/limits";
import type { ClientScope } from "./scope";

export const vectorStoreKeys = {
  all: ["vector-stores"] as const,
  connection: (connection: string) => [...vectorStoreKeys.all, connection] as const,
  list: (connection: string) => [...vectorStoreKeys.connection(connection), "list"] as const,
  detail: (connection: string, id: string) =>
    [...vectorStoreKeys.connection(connection), "detail", id] as const,
  files: (connection: string, id: string) => [...vectorStoreKeys.detail(connection, id), "files"] as const,
  batch: (connection: string, id: string, batchId: string) =>
    [...vectorStoreKeys.detail(connection, id), "batch", batchId] as const,
};

/** While anything is ingesting, lists and details poll (live status). */
export const INGEST_POLL_MS = 1000;

export function vectorStoreListQuery(scope: ClientScope | null) {
  return queryOptions({
    queryKey: vectorStoreKeys.list(scope?.connection.name ?? ""),
    queryFn: scope
      ? async ({ signal }): Promise<VectorStore[]> => {
          const out: VectorStore[] = [];
          for await (const vs of scope.client.vectorStores.list({ limit: 100, order: "desc" }, { signal })) {
            out.push(vs);
            if (out.length >= 1000) break;
          }
          return out;
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
    queryKey: vectorStoreKeys.detail(scope?.connection.name ?? "", id ?? ""),
    queryFn: scope && id ? ({ signal }) => scope.client.vectorStores.retrieve(id, { signal }) : skipToken,
    refetchInterval: (q) =>
      q.state.data && q.state.data.file_counts.in_progress > 0 ? INGEST_POLL_MS : false,
  });
}

export function vectorStoreFilesQuery(scope: ClientScope | null, id: string | null) {
  return queryOptions({
    queryKey: vectorStoreKeys.files(scope?.connection.name ?? "", id ?? ""),
    queryFn:
      scope && id
        ? async ({ signal }): Promise<VectorStoreFile[]> => {
            const out: VectorStoreFile[] = [];
            for await (const f of scope.client.vectorStores.files.list(
              id,
              { limit: 100, order: "desc" },
              { signal },
            )) {
              out.push(f);
              if (out.length >= 10_000) break;
            }
            return out;
          }
        : skipToken,
    refetchInterval: (q) => (q.state.data?.some((f) => f.status === "in_progress") ? INGEST_POLL_MS : false),
  });
}

export function fileBatchQuery(scope: ClientScope | null, vectorStoreId: string, batchId: string | null) {
  return queryOptions({
    queryKey: vectorStoreKeys.batch(scope?.connection.name ?? "", vectorStoreId, batchId ?? ""),
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

export async function createVectorStore({ client }: ClientScope, d: VectorStoreDraft): Promise<VectorStore> {
  const body: VectorStoreCreateParams = {
    name: d.name.trim(),
    ...(d.expiresAfterDays !== null
      ? { expires_after: { anchor: "last_active_at", days: d.expiresAfterDays } }
      : {}),
    ...(d.fileIds.length > 0 ? { file_ids: d.fileIds } : {}),
    chunking_strategy: chunkingParam(d.chunking),
  };
  return client.vectorStores.create(body, { maxRetries: 0 });
}

export async function updateVectorStore({ client }: ClientScope, id: string, body: VectorStoreUpdateParams) {
  return client.vectorStores.update(id, body);
}

export async function deleteVectorStore({ client }: ClientScope, id: string) {
  return client.vectorStores.delete(id);
}

export async function addVectorStoreFiles(
  { client }: ClientScope,
  id: string,
  fileIds: string[],
  chunking?: VectorStoreDraft["chunking"],
): Promise<{ batch: VectorStoreFileBatch | null; files: VectorStoreFile[] }> {
  const chunking_strategy = chunking ? chunkingParam(chunking) : undefined;
  if (fileIds.length === 1) {
    const f = await client.vectorStores.files.create(id, {
      file_id: fileIds[0]!,
      ...(chunking_strategy ? { chunking_strategy } : {}),
    });
    return { batch: null, files: [f] };
  }
  const batch = await client.vectorStores.fileBatches.create(id, {
    file_ids: fileIds,
    ...(chunking_strategy ? { chunking_strategy } : {}),
  });
  return { batch, files: [] };
}

export async function cancelFileBatch({ client }: ClientScope, vectorStoreId: string, batchId: string) {
  return client.vectorStores.fileBatches.cancel(batchId, { vector_store_id: vectorStoreId });
}

export async function removeVectorStoreFile({ client }: ClientScope, vectorStoreId: string, fileId: string) {
  return client.vectorStores.files.delete(fileId, { vector_store_id: vectorStoreId });
}

export function invalidateVectorStores(queryClient: QueryClient, connection: string) {
  return queryClient.invalidateQueries({ queryKey: vectorStoreKeys.connection(connection) });
}
