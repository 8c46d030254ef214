import { infiniteQueryOptions, queryOptions, skipToken, type QueryClient } from "@tanstack/react-query";
import type {
  Assistant,
  AssistantCreateParams,
  AssistantUpdateParams,
} from "openai/resources/beta/assistants";
import type { ClientScope } from "./scope";

export const assistantKeys = {
  all: ["assistants"] as const,
  connection: (connection: string) => [...assistantKeys.all, connection] as const,
  list: (connection: string) => [...assistantKeys.connection(connection), "list"] as const,
  detail: (connection: string, id: string) =>
    [...assistantKeys.connection(connection), "detail", id] as const,
  pages: (connection: string, order: "asc" | "desc") =>
    [...assistantKeys.connection(connection), "pages", order] as const,
};

export const ASSISTANT_PAGE_SIZE = 50;

/** Cursor pagination over the connection's assistants, a page at a time (thousands stay responsive). */
export function assistantPagesQuery(scope: ClientScope | null, order: "asc" | "desc") {
  return infiniteQueryOptions({
    queryKey: assistantKeys.pages(scope?.connection.name ?? "", order),
    queryFn: scope
      ? async ({ pageParam, signal }): Promise<{ data: Assistant[]; hasMore: boolean }> => {
          const page = await scope.client.beta.assistants.list(
            { limit: ASSISTANT_PAGE_SIZE, order, ...(pageParam ? { after: pageParam } : {}) },
            { signal },
          );
          return { data: page.data, hasMore: page.hasNextPage() };
        }
      : skipToken,
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.hasMore ? (last.data.at(-1)?.id ?? null) : null),
  });
}

/** Creates (no id) or updates the assistant with a request body built by lib/client/assistants/form. */
export function writeAssistant(
  { client }: ClientScope,
  body: Record<string, unknown>,
  id: string | null,
): Promise<Assistant> {
  // Bodies are built per api-version (v1 file_ids, v2 tool_resources…), wider than the SDK's v2 types.
  if (id) return client.beta.assistants.update(id, body as AssistantUpdateParams, { maxRetries: 0 });
  return client.beta.assistants.create(body as unknown as AssistantCreateParams, { maxRetries: 0 });
}

export async function deleteAssistant({ client }: ClientScope, id: string): Promise<void> {
  await client.beta.assistants.delete(id);
}

export function onAssistantDeleted(queryClient: QueryClient, connection: string, id: string) {
  queryClient.removeQueries({ queryKey: assistantKeys.detail(connection, id) });
  queryClient.setQueryData<Assistant[]>(assistantKeys.list(connection), (old) =>
    old?.filter((a) => a.id !== id),
  );
  return queryClient.invalidateQueries({ queryKey: assistantKeys.connection(connection) });
}

export function assistantListQuery(scope: ClientScope | null) {
  return queryOptions({
    queryKey: assistantKeys.list(scope?.connection.name ?? ""),
    queryFn: scope
      ? async ({ signal }): Promise<Assistant[]> => {
          const page = await scope.client.beta.assistants.list({ limit: 100, order: "desc" }, { signal });
          return page.data;
        }
      : skipToken,
  });
}

export function assistantDetailQuery(scope: ClientScope | null, id: string | null) {
  return queryOptions({
    queryKey: assistantKeys.detail(scope?.connection.name ?? "", id ?? ""),
    queryFn: scope && id ? ({ signal }) => scope.client.beta.assistants.retrieve(id, { signal }) : skipToken,
  });
}

export function onAssistantSaved(queryClient: QueryClient, connection: string, assistant: Assistant) {
  queryClient.setQueryData(assistantKeys.detail(connection, assistant.id), assistant);
  // Shown at once in the picker; the invalidation below then brings the server's order.
  queryClient.setQueryData<Assistant[]>(assistantKeys.list(connection), (old) =>
    old ? [assistant, ...old.filter((a) => a.id !== assistant.id)] : [assistant],
  );
  return queryClient.invalidateQueries({ queryKey: assistantKeys.connection(connection) });
}
