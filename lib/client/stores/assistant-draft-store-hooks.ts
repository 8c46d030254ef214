"use client";

import { createContext, useContext, useEffect, useMemo, useState } from "react";
import { useStore } from "zustand";
import type { Assistant } from "openai/resources/beta/assistants";
import { draftBase, isUnsaved } from "../assistants/draft";
import {
  draftKey,
  getAssistantDraftStore,
  hydrateAssistantDraftStore,
  type AssistantDraftStore,
  type AssistantDraftStoreApi,
} from "./assistant-draft-store";

/** Tests pass their own store; the app uses the browser's one. */
export const AssistantDraftStoreContext = createContext<AssistantDraftStoreApi | null>(null);

export function useAssistantDraftStoreApi(): AssistantDraftStoreApi {
  return useContext(AssistantDraftStoreContext) ?? getAssistantDraftStore();
}

export function useAssistantDrafts<T>(selector: (state: AssistantDraftStore) => T): T {
  return useStore(useAssistantDraftStoreApi(), selector);
}

/** true once drafts saved in this browser are loaded (after mount, so server and client render alike). */
export function useDraftsHydrated(): boolean {
  const api = useAssistantDraftStoreApi();
  const [done, setDone] = useState(() => api.persist.hasHydrated());
  useEffect(() => {
    let live = true;
    void hydrateAssistantDraftStore(api).then(() => {
      if (live) setDone(true);
    });
    return () => {
      live = false;
    };
  }, [api]);
  return done;
}

/**
 * Whether the builder of `assistant` (null: a new one) on `connection` holds unsaved edits. Read from
 * the draft store, so a parent knows before switching assistant without the builder telling it.
 * `connection` null: no builder is shown, so nothing is unsaved.
 */
export function useUnsavedDraft(
  connection: string | null,
  assistant: Assistant | null,
  defaultDeployment: string | undefined,
): boolean {
  const base = useMemo(() => draftBase(assistant, defaultDeployment), [assistant, defaultDeployment]);
  const key = connection === null ? null : draftKey(connection, assistant?.id ?? null);
  return useAssistantDrafts((s) => key !== null && isUnsaved(s.drafts[key]?.values, base));
}
