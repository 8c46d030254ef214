import { queryOptions, skipToken, type QueryClient } from "@tanstack/react-query";
import type {
  Assistant,
  AssistantCreateParams,
  AssistantTool,
  AssistantUpdateParams,
} from "openai/resources/beta/assistants";
import type { ClientScope } from "./scope";

export const assistantKeys = {
  all: ["assistants"] as const,
  connection: (connection: string) => [...assistantKeys.all, connection] as const,
  list: (connection: string) => [...assistantKeys.connection(connection), "list"] as const,
  detail: (connection: string, id: string) =>
    [...assistantKeys.connection(connection), "detail", id] as const,
};

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

/** The setup form's fields; tools other than the two toggles are kept as they are. */
export interface AssistantDraft {
  name: string;
  instructions: string;
  model: string;
  codeInterpreter: boolean;
  fileSearch: boolean;
}

export const DEFAULT_MODEL = "gpt-4o";

export function draftFromAssistant(assistant: Assistant | null): AssistantDraft {
  if (!assistant)
    return { name: "", instructions: "", model: DEFAULT_MODEL, codeInterpreter: false, fileSearch: false };
  return {
    name: assistant.name ?? "",
    instructions: assistant.instructions ?? "",
    model: assistant.model,
    codeInterpreter: assistant.tools.some((t) => t.type === "code_interpreter"),
    fileSearch: assistant.tools.some((t) => t.type === "file_search"),
  };
}

export function toolsFromDraft(
  draft: AssistantDraft,
  existing: readonly AssistantTool[] = [],
): AssistantTool[] {
  const kept = existing.filter((t) => t.type !== "code_interpreter" && t.type !== "file_search");
  return [
    ...(draft.codeInterpreter ? [{ type: "code_interpreter" as const }] : []),
    ...(draft.fileSearch ? [{ type: "file_search" as const }] : []),
    ...kept,
  ];
}

export async function saveAssistant(
  { client }: ClientScope,
  draft: AssistantDraft,
  existing: Assistant | null,
): Promise<Assistant> {
  const common = {
    name: draft.name.trim() || null,
    instructions: draft.instructions,
    model: draft.model.trim() || DEFAULT_MODEL,
    tools: toolsFromDraft(draft, existing?.tools),
  };
  if (existing) {
    const body: AssistantUpdateParams = common;
    return client.beta.assistants.update(existing.id, body, { maxRetries: 0 });
  }
  const body: AssistantCreateParams = common;
  return client.beta.assistants.create(body, { maxRetries: 0 });
}

export function onAssistantSaved(queryClient: QueryClient, connection: string, assistant: Assistant) {
  queryClient.setQueryData(assistantKeys.detail(connection, assistant.id), assistant);
  // Shown at once in the picker; the invalidation below then brings the server's order.
  queryClient.setQueryData<Assistant[]>(assistantKeys.list(connection), (old) =>
    old ? [assistant, ...old.filter((a) => a.id !== assistant.id)] : [assistant],
  );
  return queryClient.invalidateQueries({ queryKey: assistantKeys.connection(connection) });
}
