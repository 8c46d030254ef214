import type { QueryClient } from "@tanstack/react-query";
import type {
  VectorStore,
  VectorStoreCreateParams,
  VectorStoreUpdateParams,
} from "openai/resources/vector-stores/vector-stores";
import type { VectorStoreFile } from "openai/resources/vector-stores/files";
import type { VectorStoreFileBatch } from "openai/resources/vector-stores/file-batches";
import { chunkingParam, type VectorStoreDraft } from "../../vector-stores/draft";
import type { ClientScope } from "../scope";
import { vectorStoreKeys } from "./queries";

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
