import { createStore } from "zustand/vanilla";
import { persist, createJSONStorage, type StateStorage } from "zustand/middleware";
import type { AssistantFormValues } from "../assistants/form";

/**
 * The assistant builder's unsaved edits, per connection and assistant, persisted so a reload
 * mid-edit loses nothing; and the deployment names used before, to suggest them again.
 */
export interface AssistantDraftState {
  /** Keyed by `draftKey(connection, assistantId)`. */
  drafts: Record<string, { values: AssistantFormValues; updatedAt: number }>;
  /** Most recent first. */
  usedDeployments: string[];
}

export interface AssistantDraftActions {
  setDraft: (key: string, values: AssistantFormValues) => void;
  clearDraft: (key: string) => void;
  rememberDeployment: (name: string) => void;
}

export type AssistantDraftStore = AssistantDraftState & AssistantDraftActions;

export const NEW_ASSISTANT = "new";
export const draftKey = (connection: string, assistantId: string | null) =>
  `${connection}/${assistantId ?? NEW_ASSISTANT}`;

export const ASSISTANT_DRAFT_STORAGE_KEY = "assistants-playground.assistant-drafts";
const MAX_DEPLOYMENTS = 20;
const MAX_DRAFTS = 50;

export function createAssistantDraftStore(options: { storage?: StateStorage } = {}) {
  return createStore<AssistantDraftStore>()(
    persist(
      (set) => ({
        drafts: {},
        usedDeployments: [],
        setDraft: (key, values) =>
          set((s) => {
            const next = { ...s.drafts, [key]: { values, updatedAt: Date.now() } };
            const keys = Object.keys(next);
            if (keys.length > MAX_DRAFTS) {
              const oldest = keys.sort((a, b) => (next[a]?.updatedAt ?? 0) - (next[b]?.updatedAt ?? 0))[0];
              if (oldest && oldest !== key) delete next[oldest];
            }
            return { drafts: next };
          }),
        clearDraft: (key) =>
          set((s) => {
            if (!(key in s.drafts)) return s;
            const next = { ...s.drafts };
            delete next[key];
            return { drafts: next };
          }),
        rememberDeployment: (name) =>
          set((s) => {
            const trimmed = name.trim();
            if (!trimmed) return s;
            return {
              usedDeployments: [trimmed, ...s.usedDeployments.filter((d) => d !== trimmed)].slice(
                0,
                MAX_DEPLOYMENTS,
              ),
            };
          }),
      }),
      {
        name: ASSISTANT_DRAFT_STORAGE_KEY,
        version: 1,
        storage: createJSONStorage(() => options.storage ?? localStorage),
        skipHydration: true,
        partialize: (s): AssistantDraftState => ({ drafts: s.drafts, usedDeployments: s.usedDeployments }),
      },
    ),
  );
}

export type AssistantDraftStoreApi = ReturnType<typeof createAssistantDraftStore>;

let browserStore: AssistantDraftStoreApi | null = null;
let hydrated: Promise<void> | null = null;

/** The browser's one draft store; rehydrated from localStorage once, after mount. */
export function getAssistantDraftStore(): AssistantDraftStoreApi {
  browserStore ??= createAssistantDraftStore();
  return browserStore;
}

export function hydrateAssistantDraftStore(store = getAssistantDraftStore()): Promise<void> {
  if (store !== browserStore) return Promise.resolve(store.persist.rehydrate());
  hydrated ??= Promise.resolve(store.persist.rehydrate());
  return hydrated;
}
