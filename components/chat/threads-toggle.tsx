"use client";

import { useQuery } from "@tanstack/react-query";
import { THREAD_LIST_ID } from "@/components/threads/thread-list";
import type { ClientScope } from "@/lib/client/queries/scope";
import { THREAD_TITLE_KEY, threadDetailQuery, threadMeta, threadTitle } from "@/lib/client/queries/threads";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { useWideLayout } from "@/lib/client/use-wide-layout";

/** The chat panel's heading line: the open thread's title, and the button that shows or hides the thread list. */
export function ThreadsToggle({ scope, threadId }: { scope: ClientScope | null; threadId: string | null }) {
  const connection = scope?.connection.name ?? "";
  const phone = !useWideLayout();
  const open = usePlaygroundStore((s) => (phone ? s.phoneThreadListOpen : s.threadListOpen));
  const setOpen = usePlaygroundStore((s) => s.setThreadListOpen);
  const entry = usePlaygroundStore((s) =>
    threadId ? s.threads.find((t) => t.connection === connection && t.id === threadId) : undefined,
  );
  const thread = useQuery(threadDetailQuery(scope, threadId)).data ?? null;
  const title = threadId
    ? threadTitle({
        metadataTitle: threadMeta(thread, THREAD_TITLE_KEY),
        localTitle: entry?.title,
        createdAt: entry?.createdAt || (thread ? thread.created_at * 1000 : null),
      })
    : null;
  return (
    <div className="flex min-w-0 items-center gap-2">
      {title ? (
        <p className="min-w-0 truncate text-sm text-slate-700" title={title}>
          <span className="sr-only">Open thread: </span>
          {title}
        </p>
      ) : null}
      <button
        type="button"
        aria-expanded={open}
        aria-controls={THREAD_LIST_ID}
        onClick={() => setOpen(!open, phone)}
        className="shrink-0 rounded-md border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        Threads
      </button>
    </div>
  );
}
