import { infiniteQueryOptions, queryOptions, skipToken } from "@tanstack/react-query";
import type { Assistant } from "openai/resources/beta/assistants";
import type { ConnectionRef } from "../../sdk";
import { NO_CONNECTION, type ClientScope } from "../scope";

export const assistantKeys = {
  all: ["assistants"] as const,
  /** A connection's assistants under every api-version: what a write makes stale. */
  connection: (name: string) => [...assistantKeys.all, name] as const,
  scope: (c: ConnectionRef) => [...assistantKeys.connection(c.name), c.apiVersion] as const,
  list: (c: ConnectionRef) => [...assistantKeys.scope(c), "list"] as const,
  pages: (c: ConnectionRef, order: "asc" | "desc") => [...assistantKeys.scope(c), "pages", order] as const,
  detail: (c: ConnectionRef, id: string) => [...assistantKeys.scope(c), "detail", id] as const,
};

export const ASSISTANT_PAGE_SIZE = 50;

/** Cursor pagination over the connection's assistants, a page at a time (thousands stay responsive). */
export function assistantPagesQuery(scope: ClientScope | null, order: "asc" | "desc") {
  return infiniteQueryOptions({
    queryKey: assistantKeys.pages(scope?.connection ?? NO_CONNECTION, order),
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

/** The connection's newest 100 assistants (the pickers). */
export function assistantListQuery(scope: ClientScope | null) {
  return queryOptions({
    queryKey: assistantKeys.list(scope?.connection ?? NO_CONNECTION),
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
    queryKey: assistantKeys.detail(scope?.connection ?? NO_CONNECTION, id ?? ""),
    queryFn: scope && id ? ({ signal }) => scope.client.beta.assistants.retrieve(id, { signal }) : skipToken,
  });
}
