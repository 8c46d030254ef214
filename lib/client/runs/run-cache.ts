import type { QueryClient } from "@tanstack/react-query";
import type { Message } from "openai/resources/beta/threads/messages";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { ConnectionRef } from "../sdk";
import { threadKeys } from "../queries/threads";
import { runKeys } from "../queries/runs/queries";

/**
 * What the run controller reads and writes of the app's server state, for one connection. The
 * controller knows nothing of React Query: this is its whole view of the cache (the app's
 * adapter is `queryRunCache`; tests pass a plain object).
 */
export interface RunCache {
  /** The thread's newest run as last read (undefined: never read). */
  latestRun(threadId: string): Run | null | undefined;
  /** Records a run as the thread's newest (the chat and inspector read it once the stream ends). */
  saveRun(threadId: string, run: Run): void;
  /** The thread's messages as last read, oldest first (undefined: never read). */
  messages(threadId: string): readonly Message[] | undefined;
  /** Adds a message just created, so it shows before the thread is read again. */
  addMessage(threadId: string, message: Message): void;
  /** The thread's messages changed upstream (a followed run wrote some): read them again soon. */
  messagesChanged(threadId: string): void;
  /** The thread's runs or steps changed upstream (a tool step finished): read them again soon. */
  runsChanged(threadId: string): void;
  /** Reads the thread's messages and runs again; resolves once both are read. */
  refresh(threadId: string): Promise<void>;
}

/** The controller's cache for a connection, on the app's React Query client. */
export function queryRunCache(queryClient: QueryClient, connection: ConnectionRef): RunCache {
  const messagesKey = (threadId: string) => threadKeys.messages(connection.name, threadId);
  const runsKey = (threadId: string) => runKeys.thread(connection, threadId);
  return {
    latestRun: (threadId) => queryClient.getQueryData<Run | null>(runKeys.latest(connection, threadId)),
    saveRun: (threadId, run) => queryClient.setQueryData(runKeys.latest(connection, threadId), run),
    messages: (threadId) => queryClient.getQueryData<Message[]>(messagesKey(threadId)),
    addMessage: (threadId, message) =>
      queryClient.setQueryData<Message[]>(messagesKey(threadId), (old) =>
        old ? [...old.filter((m) => m.id !== message.id), message] : [message],
      ),
    messagesChanged: (threadId) => void queryClient.invalidateQueries({ queryKey: messagesKey(threadId) }),
    runsChanged: (threadId) => void queryClient.invalidateQueries({ queryKey: runsKey(threadId) }),
    refresh: async (threadId) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: messagesKey(threadId) }),
        queryClient.invalidateQueries({ queryKey: runsKey(threadId) }),
      ]);
    },
  };
}
