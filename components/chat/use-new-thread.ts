"use client";

import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { ClientScope } from "@/lib/client/queries/scope";
import { createThread, seedNewThread } from "@/lib/client/queries/threads";
import { toPlaygroundError, type PlaygroundError } from "@/lib/client/errors";
import { draftKey } from "@/lib/client/stores/playground-store";
import { usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";

/**
 * Starts a thread for the assistant and makes it the current one; `onCreated` runs once it exists.
 * Resolves with its id, or null (the failure is in `error`).
 */
export function useNewThread(scope: ClientScope | null, assistantId: string | null, onCreated: () => void) {
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<PlaygroundError | null>(null);
  const queryClient = useQueryClient();
  const addThread = usePlaygroundStore((s) => s.addThread);
  const setDraft = usePlaygroundStore((s) => s.setDraft);

  /** `title`: the first message's, stored on the thread with the assistant's id. */
  async function newThread(carryDraft?: string, title?: string): Promise<string | null> {
    if (!scope || !assistantId) return null;
    setCreating(true);
    setError(null);
    try {
      const thread = await createThread(scope, { title, assistantId });
      seedNewThread(queryClient, scope.connection, thread.id, thread);
      // The draft moves with the person into the new thread, so nothing typed is lost.
      if (carryDraft) setDraft(draftKey(scope.connection.name, thread.id, assistantId), carryDraft);
      addThread({
        id: thread.id,
        connection: scope.connection.name,
        assistantId,
        createdAt: thread.created_at * 1000,
        ...(title ? { title } : {}),
      });
      onCreated();
      return thread.id;
    } catch (err) {
      setError(toPlaygroundError(err));
      return null;
    } finally {
      setCreating(false);
    }
  }

  return { newThread, creating, error, clearError: () => setError(null) };
}
