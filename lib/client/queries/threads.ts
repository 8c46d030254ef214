import { queryOptions, skipToken } from "@tanstack/react-query";
import type { Message } from "openai/resources/beta/threads/messages";
import type { ClientScope } from "./scope";

export const threadKeys = {
  all: ["threads"] as const,
  connection: (connection: string) => [...threadKeys.all, connection] as const,
  detail: (connection: string, threadId: string) => [...threadKeys.connection(connection), threadId] as const,
  messages: (connection: string, threadId: string) =>
    [...threadKeys.detail(connection, threadId), "messages"] as const,
};

/**
 * Messages of a thread, oldest first (the last 100: the chat shows the tail of a conversation).
 * Idle (skipToken) until there is both a connection and a thread.
 */
export function threadMessagesQuery(scope: ClientScope | null, threadId: string | null) {
  return queryOptions({
    queryKey: threadKeys.messages(scope?.connection.name ?? "", threadId ?? ""),
    queryFn:
      scope && threadId
        ? async ({ signal }): Promise<Message[]> => {
            const page = await scope.client.beta.threads.messages.list(
              threadId,
              { limit: 100, order: "desc" },
              { signal },
            );
            return [...page.data].reverse();
          }
        : skipToken,
  });
}

export function createThread({ client }: ClientScope) {
  return client.beta.threads.create({}, { maxRetries: 0 });
}

export function createUserMessage({ client }: ClientScope, threadId: string, content: string) {
  // No automatic retry: a retried POST could add the message twice.
  return client.beta.threads.messages.create(threadId, { role: "user", content }, { maxRetries: 0 });
}
