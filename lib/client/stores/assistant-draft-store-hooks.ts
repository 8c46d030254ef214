"use client";

import { createContext, useContext, useEffect, useState } from "react";
import { useStore } from "zustand";
import {
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
