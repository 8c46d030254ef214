import type { QueryClient } from "@tanstack/react-query";
import type {
  Assistant,
  AssistantCreateParams,
  AssistantUpdateParams,
} from "openai/resources/beta/assistants";
import type { ConnectionRef } from "../../sdk";
import type { ClientScope } from "../scope";
import { assistantKeys } from "./queries";

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

/** Any write: every api-version's view of the connection's assistants reads again. */
export function invalidateAssistants(queryClient: QueryClient, connection: string) {
  return queryClient.invalidateQueries({ queryKey: assistantKeys.connection(connection) });
}

export function onAssistantDeleted(queryClient: QueryClient, connection: ConnectionRef, id: string) {
  queryClient.removeQueries({ queryKey: assistantKeys.detail(connection, id) });
  queryClient.setQueryData<Assistant[]>(assistantKeys.list(connection), (old) =>
    old?.filter((a) => a.id !== id),
  );
  return invalidateAssistants(queryClient, connection.name);
}

/** `assistant` as the upstream answered under `connection`'s api-version. */
export function onAssistantSaved(queryClient: QueryClient, connection: ConnectionRef, assistant: Assistant) {
  queryClient.setQueryData(assistantKeys.detail(connection, assistant.id), assistant);
  // Shown at once in the picker; the invalidation below then brings the server's order.
  queryClient.setQueryData<Assistant[]>(assistantKeys.list(connection), (old) =>
    old ? [assistant, ...old.filter((a) => a.id !== assistant.id)] : [assistant],
  );
  return invalidateAssistants(queryClient, connection.name);
}
