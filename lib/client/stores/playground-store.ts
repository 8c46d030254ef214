import { createStore } from "zustand/vanilla";
import { persist, createJSONStorage, type StateStorage } from "zustand/middleware";

export type PanelId = "setup" | "chat" | "inspector";
/** The side panels, whose width the person sets by dragging the edge beside the chat. */
export type SidePanelId = "setup" | "inspector";

/** Side panel widths in px: the default, and the range a drag keeps to. */
export const PANEL_WIDTH = {
  setup: { initial: 304, min: 224, max: 560 },
  inspector: { initial: 336, min: 224, max: 640 },
} as const satisfies Record<SidePanelId, { initial: number; min: number; max: number }>;

export const clampPanelWidth = (panel: SidePanelId, px: number) =>
  Math.round(Math.min(PANEL_WIDTH[panel].max, Math.max(PANEL_WIDTH[panel].min, px)));

/** A thread this browser created: the Azure protocol cannot list threads, so we remember them. */
export interface ThreadEntry {
  id: string;
  connection: string;
  assistantId: string;
  createdAt: number;
  /** Local title: from the first message, or as renamed here. */
  title?: string;
}

export interface PlaygroundState {
  /** null: the server's default connection. */
  connectionName: string | null;
  /** The api-version chosen per connection (absent: the connection's default). */
  apiVersionByConnection: Record<string, string>;
  /** Selected assistant per connection. */
  assistantByConnection: Record<string, string>;
  threads: ThreadEntry[];
  /** Current thread per `${connection}/${assistantId}`. */
  currentThread: Record<string, string>;
  panels: Record<PanelId, boolean>;
  /** Width of each side panel (px) when open on a wide screen. */
  panelWidths: Record<SidePanelId, number>;
  /** The chat's thread list is shown beside the conversation. */
  threadListOpen: boolean;
  /** On a phone, the thread list is shown above the conversation (not remembered: it starts folded). */
  phoneThreadListOpen: boolean;
  /** The thread list shows every thread of the connection, not only the selected assistant's. */
  allThreads: boolean;
  /** Unsent composer text per `${connection}/${threadId}` (or `${connection}/new:${assistantId}`). */
  drafts: Record<string, string>;
}

export interface PlaygroundActions {
  selectConnection: (name: string | null) => void;
  /** Chooses the api-version for a connection (null: back to its default). */
  selectApiVersion: (connection: string, apiVersion: string | null) => void;
  selectAssistant: (connection: string, assistantId: string | null) => void;
  addThread: (entry: ThreadEntry) => void;
  selectThread: (connection: string, assistantId: string, threadId: string | null) => void;
  forgetThread: (connection: string, threadId: string) => void;
  togglePanel: (panel: PanelId) => void;
  setPanelWidth: (panel: SidePanelId, px: number) => void;
  setThreadListOpen: (open: boolean, phone?: boolean) => void;
  setAllThreads: (all: boolean) => void;
  /** Sets a thread's local title (only when it has none yet, unless `force`). */
  titleThread: (connection: string, threadId: string, title: string, force?: boolean) => void;
  setDraft: (key: string, text: string) => void;
}

export type PlaygroundStore = PlaygroundState & PlaygroundActions;

export const draftKey = (connection: string, threadId: string | null, assistantId: string | null) =>
  threadId ? `${connection}/${threadId}` : `${connection}/new:${assistantId ?? ""}`;

export const threadScope = (connection: string, assistantId: string) => `${connection}/${assistantId}`;

export const defaultPlaygroundState: PlaygroundState = {
  connectionName: null,
  apiVersionByConnection: {},
  assistantByConnection: {},
  threads: [],
  currentThread: {},
  panels: { setup: true, chat: true, inspector: true },
  panelWidths: { setup: PANEL_WIDTH.setup.initial, inspector: PANEL_WIDTH.inspector.initial },
  threadListOpen: true,
  phoneThreadListOpen: false,
  allThreads: false,
  drafts: {},
};

export const PLAYGROUND_STORAGE_KEY = "assistants-playground";
const MAX_REMEMBERED_THREADS = 200;

export function createPlaygroundStore(
  options: { storage?: StateStorage; initial?: Partial<PlaygroundState> } = {},
) {
  return createStore<PlaygroundStore>()(
    persist(
      (set) => ({
        ...defaultPlaygroundState,
        ...options.initial,
        selectConnection: (name) => set({ connectionName: name }),
        selectApiVersion: (connection, apiVersion) =>
          set((s) => {
            const next = { ...s.apiVersionByConnection };
            if (apiVersion === null) delete next[connection];
            else next[connection] = apiVersion;
            return { apiVersionByConnection: next };
          }),
        selectAssistant: (connection, assistantId) =>
          set((s) => {
            const next = { ...s.assistantByConnection };
            if (assistantId === null) delete next[connection];
            else next[connection] = assistantId;
            return { assistantByConnection: next };
          }),
        addThread: (entry) =>
          set((s) => ({
            threads: [entry, ...s.threads.filter((t) => t.id !== entry.id)].slice(0, MAX_REMEMBERED_THREADS),
            currentThread: {
              ...s.currentThread,
              [threadScope(entry.connection, entry.assistantId)]: entry.id,
            },
          })),
        selectThread: (connection, assistantId, threadId) =>
          set((s) => {
            const next = { ...s.currentThread };
            const key = threadScope(connection, assistantId);
            if (threadId === null) delete next[key];
            else next[key] = threadId;
            return { currentThread: next };
          }),
        forgetThread: (connection, threadId) =>
          set((s) => ({
            drafts: Object.fromEntries(
              Object.entries(s.drafts).filter(([k]) => k !== `${connection}/${threadId}`),
            ),
            threads: s.threads.filter((t) => !(t.connection === connection && t.id === threadId)),
            currentThread: Object.fromEntries(
              Object.entries(s.currentThread).filter(([, id]) => id !== threadId),
            ),
          })),
        titleThread: (connection, threadId, title, force = false) =>
          set((s) => ({
            threads: s.threads.map((t) =>
              t.connection === connection && t.id === threadId && (force || !t.title)
                ? { ...t, title: title.trim() || undefined }
                : t,
            ),
          })),
        setDraft: (key, text) =>
          set((s) => {
            const drafts = { ...s.drafts };
            if (text) drafts[key] = text;
            else delete drafts[key];
            return { drafts };
          }),
        togglePanel: (panel) => set((s) => ({ panels: { ...s.panels, [panel]: !s.panels[panel] } })),
        setPanelWidth: (panel, px) =>
          set((s) => ({ panelWidths: { ...s.panelWidths, [panel]: clampPanelWidth(panel, px) } })),
        setThreadListOpen: (open, phone = false) =>
          set(phone ? { phoneThreadListOpen: open } : { threadListOpen: open }),
        setAllThreads: (all) => set({ allThreads: all }),
      }),
      {
        name: PLAYGROUND_STORAGE_KEY,
        version: 1,
        storage: createJSONStorage(() => options.storage ?? localStorage),
        // Rehydrated after mount by the provider, so the server render and the first client render match.
        skipHydration: true,
        partialize: (s): Omit<PlaygroundState, "phoneThreadListOpen"> => ({
          connectionName: s.connectionName,
          apiVersionByConnection: s.apiVersionByConnection,
          assistantByConnection: s.assistantByConnection,
          threads: s.threads,
          currentThread: s.currentThread,
          panels: s.panels,
          panelWidths: s.panelWidths,
          threadListOpen: s.threadListOpen,
          allThreads: s.allThreads,
          drafts: s.drafts,
        }),
        // Fields added since a browser last saved keep their defaults; widths stay within range.
        merge: (persisted, current) => {
          const saved = persisted as Partial<PlaygroundState>;
          const widths = { ...current.panelWidths, ...saved.panelWidths };
          return {
            ...current,
            ...saved,
            panelWidths: {
              setup: clampPanelWidth("setup", Number(widths.setup) || PANEL_WIDTH.setup.initial),
              inspector: clampPanelWidth(
                "inspector",
                Number(widths.inspector) || PANEL_WIDTH.inspector.initial,
              ),
            },
          };
        },
      },
    ),
  );
}

export type PlaygroundStoreApi = ReturnType<typeof createPlaygroundStore>;
