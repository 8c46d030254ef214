"use client";

import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { Thread } from "openai/resources/beta/threads/threads";
import { Button } from "@/components/ui/button";
import { Popover } from "@/components/ui/popover";
import { ErrorAlert } from "@/components/ui/error-alert";
import { FilePicker } from "@/components/files/file-picker";
import { VectorStorePicker } from "@/components/vector-stores/vector-store-picker";
import type { ClientScope } from "@/lib/client/queries/scope";
import { toPlaygroundError, type PlaygroundError } from "@/lib/client/errors";

const threadResourcesKey = (scope: ClientScope | null, threadId: string) =>
  ["thread-resources", scope?.connection.name ?? "", threadId] as const;

/**
 * The thread's own tool_resources (v2): code-interpreter files and one vector store that every
 * run on this thread can use, on top of the assistant's. A popover of the composer's tool row.
 */
export function ThreadResources({
  scope,
  threadId,
  buttonClassName,
}: {
  scope: ClientScope | null;
  threadId: string | null;
  buttonClassName: string;
}) {
  const queryClient = useQueryClient();
  // Read the thread only when the person opens this section: most turns never need it.
  const [open, setOpen] = useState(false);
  const thread = useQuery({
    queryKey: threadResourcesKey(scope, threadId ?? ""),
    queryFn: () => scope!.client.beta.threads.retrieve(threadId!),
    enabled: scope !== null && threadId !== null && open,
  });
  return (
    <Popover
      side="above"
      title="This thread's files and vector store"
      className="w-[min(30rem,calc(100vw-1rem))]"
      buttonClassName={buttonClassName}
      buttonLabel="Thread resources"
      label="Resources"
      onOpenChange={setOpen}
    >
      {threadId === null ? (
        <p className="text-slate-600">Start or open a thread to give it its own files and vector store.</p>
      ) : thread.data ? (
        <ThreadResourcesForm
          key={thread.data.id}
          scope={scope}
          thread={thread.data}
          onSaved={(t) => queryClient.setQueryData(threadResourcesKey(scope, t.id), t)}
        />
      ) : thread.error ? (
        <ErrorAlert inline error={thread.error} className="mt-2" />
      ) : (
        <p className="text-slate-600">Loading the thread…</p>
      )}
    </Popover>
  );
}

function ThreadResourcesForm({
  scope,
  thread,
  onSaved,
}: {
  scope: ClientScope | null;
  thread: Thread;
  onSaved: (thread: Thread) => void;
}) {
  const [fileIds, setFileIds] = useState<string[]>(thread.tool_resources?.code_interpreter?.file_ids ?? []);
  const [storeId, setStoreId] = useState<string | null>(
    thread.tool_resources?.file_search?.vector_store_ids?.[0] ?? null,
  );
  const [status, setStatus] = useState<"idle" | "saving" | "saved">("idle");
  const [error, setError] = useState<PlaygroundError | null>(null);

  async function save() {
    if (!scope) return;
    setStatus("saving");
    setError(null);
    try {
      const updated = await scope.client.beta.threads.update(thread.id, {
        tool_resources: {
          code_interpreter: { file_ids: fileIds },
          file_search: { vector_store_ids: storeId ? [storeId] : [] },
        },
      });
      onSaved(updated);
      setStatus("saved");
    } catch (e) {
      setError(toPlaygroundError(e));
      setStatus("idle");
    }
  }

  return (
    <div className="space-y-3">
      <p className="text-slate-600">
        Files and a vector store for every run on this thread, in addition to the assistant&apos;s.
      </p>
      <FilePicker
        scope={scope}
        value={fileIds}
        onChange={(ids) => {
          setFileIds(ids);
          setStatus("idle");
        }}
        max={20}
        use="code_interpreter"
        label="Thread code interpreter files"
      />
      <VectorStorePicker
        scope={scope}
        value={storeId}
        onChange={(id) => {
          setStoreId(id);
          setStatus("idle");
        }}
        label="Thread vector store"
      />
      {error ? <ErrorAlert inline error={error} className="" /> : null}
      <div className="flex items-center gap-2">
        <Button onClick={() => void save()} disabled={status === "saving" || !scope}>
          Save thread resources
        </Button>
        <span role="status" className="text-slate-600">
          {status === "saving" ? "Saving…" : status === "saved" ? "Saved." : ""}
        </span>
      </div>
    </div>
  );
}
