import { queryOptions, skipToken, type QueryClient } from "@tanstack/react-query";
import type { Message, MessageCreateParams } from "openai/resources/beta/threads/messages";
import type { Thread } from "openai/resources/beta/threads/threads";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { ClientScope } from "./scope";
import type { ConnectionRef } from "../sdk";
import { runKeys } from "./runs/queries";

export const threadKeys = {
  all: ["threads"] as const,
  connection: (connection: string) => [...threadKeys.all, connection] as const,
  /** Threads the upstream can list (the local engine; Azure OpenAI cannot). */
  upstreamList: (connection: string) => [...threadKeys.connection(connection), "upstream-list"] as const,
  detail: (connection: string, threadId: string) => [...threadKeys.connection(connection), threadId] as const,
  messages: (connection: string, threadId: string) =>
    [...threadKeys.detail(connection, threadId), "messages"] as const,
};

/** The most messages a thread view loads (pages of 100; the list is virtualised). */
export const MAX_THREAD_MESSAGES = 5000;

/**
 * Messages of a thread, oldest first: every page, up to the latest MAX_THREAD_MESSAGES.
 * Idle (skipToken) until there is both a connection and a thread.
 */
export function threadMessagesQuery(scope: ClientScope | null, threadId: string | null) {
  return queryOptions({
    queryKey: threadKeys.messages(scope?.connection.name ?? "", threadId ?? ""),
    queryFn:
      scope && threadId
        ? async ({ signal }): Promise<Message[]> => {
            const all: Message[] = [];
            for await (const message of scope.client.beta.threads.messages.list(
              threadId,
              // Newest first, so a thread longer than the cap keeps its latest messages.
              { limit: 100, order: "desc" },
              { signal },
            )) {
              all.push(message);
              if (all.length >= MAX_THREAD_MESSAGES) break;
            }
            return all.reverse();
          }
        : skipToken,
  });
}

/** Threads listed by the upstream, newest first (only where it can list them: the local engine). */
export function upstreamThreadsQuery(scope: ClientScope | null, canList: boolean) {
  return queryOptions({
    queryKey: threadKeys.upstreamList(scope?.connection.name ?? ""),
    queryFn:
      scope && canList
        ? async ({ signal }): Promise<Thread[]> => {
            const page = await scope.client.get<{ data?: Thread[] }>("/threads", {
              query: { limit: 100, order: "desc" },
              signal,
            });
            return page.data ?? [];
          }
        : skipToken,
  });
}

/**
 * Where a thread keeps what the playground knows of it: the protocol's own metadata, so another
 * browser (or a script) sees the same title and assistant.
 */
export const THREAD_TITLE_KEY = "title";
export const THREAD_ASSISTANT_KEY = "assistant_id";

/** The thread object itself (its metadata: title and assistant). */
export function threadDetailQuery(scope: ClientScope | null, threadId: string | null) {
  return queryOptions({
    queryKey: [...threadKeys.detail(scope?.connection.name ?? "", threadId ?? ""), "object"] as const,
    queryFn:
      scope && threadId
        ? ({ signal }) => scope.client.beta.threads.retrieve(threadId, { signal })
        : skipToken,
  });
}

export function createThread({ client }: ClientScope, about: { title?: string; assistantId?: string } = {}) {
  const metadata: Record<string, string> = {};
  if (about.title) metadata[THREAD_TITLE_KEY] = about.title.slice(0, 512);
  if (about.assistantId) metadata[THREAD_ASSISTANT_KEY] = about.assistantId;
  return client.beta.threads.create(Object.keys(metadata).length ? { metadata } : {}, { maxRetries: 0 });
}

/**
 * Sets (or, empty, removes) a thread's title in its metadata. An update replaces the whole
 * metadata, so the thread's other keys are read first and kept.
 */
export async function renameThread({ client }: ClientScope, threadId: string, title: string) {
  const thread = await client.beta.threads.retrieve(threadId);
  const metadata = { ...((thread.metadata ?? {}) as Record<string, string>) };
  if (title.trim()) metadata[THREAD_TITLE_KEY] = title.trim().slice(0, 512);
  else delete metadata[THREAD_TITLE_KEY];
  return client.beta.threads.update(threadId, { metadata });
}

/** A thread's metadata value, when it is a non-empty string. */
export function threadMeta(thread: { metadata?: unknown } | null | undefined, key: string): string | null {
  const md = thread?.metadata;
  if (!md || typeof md !== "object") return null;
  const value = (md as Record<string, unknown>)[key];
  return typeof value === "string" && value.trim() ? value : null;
}

/**
 * What to call a thread: its stored title (the thread's metadata, then this browser's), else its
 * first message, else when it was made.
 */
export function threadTitle(about: {
  metadataTitle?: string | null;
  localTitle?: string | null;
  firstMessage?: string | null;
  createdAt?: number | null;
}): string {
  const title =
    about.metadataTitle?.trim() || about.localTitle?.trim() || titleFromText(about.firstMessage ?? "");
  if (title) return title;
  return about.createdAt ? `Untitled · ${formatThreadDate(about.createdAt)}` : "Untitled thread";
}

/** A thread's date as a list shows it: day, month and time in the browser's locale. */
export function formatThreadDate(ms: number): string {
  return new Date(ms).toLocaleString(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/**
 * A thread just created has no messages and no runs: the cache says so, so opening it does not
 * ask the upstream three times before the first message can go (the entries go stale as usual).
 */
export function seedNewThread(
  queryClient: QueryClient,
  connection: ConnectionRef,
  threadId: string,
  thread?: Thread,
) {
  queryClient.setQueryData<Message[]>(threadKeys.messages(connection.name, threadId), []);
  if (thread)
    queryClient.setQueryData<Thread>([...threadKeys.detail(connection.name, threadId), "object"], thread);
  queryClient.setQueryData<Run | null>(runKeys.latest(connection, threadId), null);
  queryClient.setQueryData<Run[]>(runKeys.list(connection, threadId), []);
}

export function retrieveThread({ client }: ClientScope, threadId: string) {
  return client.beta.threads.retrieve(threadId);
}

export function deleteThread({ client }: ClientScope, threadId: string) {
  return client.beta.threads.delete(threadId);
}

export type UserMessageInput = {
  content: MessageCreateParams["content"];
  attachments?: MessageCreateParams["attachments"];
};

export function createUserMessage(
  { client }: ClientScope,
  threadId: string,
  input: string | UserMessageInput,
) {
  const body: MessageCreateParams =
    typeof input === "string"
      ? { role: "user", content: input }
      : {
          role: "user",
          content: input.content,
          ...(input.attachments && input.attachments.length ? { attachments: input.attachments } : {}),
        };
  // No automatic retry: a retried POST could add the message twice.
  return client.beta.threads.messages.create(threadId, body, { maxRetries: 0 });
}

/**
 * After a failed create that may still have gone through: the thread's newest message when it is
 * new (not among `known`), from the user, and says what was sent. Null when it cannot tell.
 */
export async function findAddedMessage(
  { client }: ClientScope,
  threadId: string,
  input: string | UserMessageInput,
  known: ReadonlySet<string>,
): Promise<Message | null> {
  const text = typeof input === "string" ? input : typeof input.content === "string" ? input.content : null;
  if (text === null) return null;
  try {
    const page = await client.beta.threads.messages.list(threadId, { limit: 1, order: "desc" });
    const latest = page.data[0];
    if (!latest || latest.role !== "user" || known.has(latest.id)) return null;
    const first = latest.content[0];
    return first?.type === "text" && first.text.value === text ? latest : null;
  } catch {
    return null;
  }
}

/** A short title from a message's text: its first line, trimmed to a readable length. */
export function titleFromText(text: string): string {
  const line =
    text
      .replace(/\[\[[^\]]*\]\]/g, "")
      .trim()
      .split("\n")[0]
      ?.trim() ?? "";
  return line.length > 60 ? `${line.slice(0, 57).trimEnd()}…` : line;
}
