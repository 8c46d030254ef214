/**
 * Assistants v1's `retrieval` tool (2024-02-15-preview to 2024-04-01-preview) on the engine's v2 model:
 * retrieval is stored as `file_search` (v2 renamed it so), and the v1 `file_ids` it searches live in a
 * vector store the engine makes for the assistant, which v2 shows as its file-search store. Message
 * `file_ids` reach the thread's store as file-search attachments (core.ts parseMessage).
 */
import type { Core } from "./core";
import type { AssistantRec } from "./records";

export function hasRetrieval(a: Pick<AssistantRec, "tools">): boolean {
  return a.tools.some((t) => t.type === "file_search");
}

/**
 * After a v1 write: when the assistant has retrieval, its store holds exactly its `file_ids` and is
 * its file-search store. Without retrieval nothing changes (a store made earlier stays, unsearched).
 * Mutates `a`; the caller stores it.
 */
export async function syncRetrievalStore(core: Core, a: AssistantRec): Promise<void> {
  if (!hasRetrieval(a)) return;
  const fileIds = a.tool_resources.code_interpreter?.file_ids ?? [];
  let vsId = a._retrievalStore;
  if (!vsId || !(await core.store.get("vector_store", vsId))) {
    if (fileIds.length === 0) return;
    vsId = (await core.createVectorStore({ name: null, expiresAfterDays: null, metadata: {} })).id;
    a._retrievalStore = vsId;
  }
  const wanted = new Set(fileIds);
  for (const vsf of await core.vectorStoreFiles(vsId))
    if (!wanted.has(vsf.id)) await core.removeVectorStoreFile(vsf);
  for (const id of fileIds) await core.addVectorStoreFile(vsId, id);
  a.tool_resources = { ...a.tool_resources, file_search: { vector_store_ids: [vsId] } };
}
