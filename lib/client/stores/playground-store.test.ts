import { describe, expect, it } from "vitest";
import type { StateStorage } from "zustand/middleware";
import {
  createPlaygroundStore,
  draftKey,
  PANEL_WIDTH,
  PLAYGROUND_STORAGE_KEY,
  threadScope,
} from "./playground-store";

const memoryStorage = () => {
  const data = new Map<string, string>();
  const storage: StateStorage = {
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
  return { data, storage };
};

describe("playground store", () => {
  it("remembers threads per connection and assistant, and restores them in a new session", async () => {
    const mem = memoryStorage();
    const first = createPlaygroundStore({ storage: mem.storage });
    first.getState().selectAssistant("local", "asst_1");
    first.getState().addThread({ id: "thread_a", connection: "local", assistantId: "asst_1", createdAt: 1 });
    first.getState().addThread({ id: "thread_b", connection: "local", assistantId: "asst_1", createdAt: 2 });
    expect(first.getState().currentThread[threadScope("local", "asst_1")]).toBe("thread_b");

    const persisted = JSON.parse(mem.data.get(PLAYGROUND_STORAGE_KEY) ?? "{}");
    expect(Object.keys(persisted.state).sort()).toEqual([
      "allThreads",
      "apiVersionByConnection",
      "assistantByConnection",
      "connectionName",
      "currentThread",
      "drafts",
      "panelWidths",
      "panels",
      "threadListOpen",
      "threads",
    ]);

    const second = createPlaygroundStore({ storage: mem.storage });
    expect(second.getState().threads).toEqual([]); // hydration waits for the provider (after mount)
    await second.persist.rehydrate();
    expect(second.getState().threads.map((t) => t.id)).toEqual(["thread_b", "thread_a"]);
    expect(second.getState().assistantByConnection).toEqual({ local: "asst_1" });
  });

  it("remembers an api-version per connection across sessions, and forgets it on null", async () => {
    const mem = memoryStorage();
    const first = createPlaygroundStore({ storage: mem.storage });
    first.getState().selectApiVersion("azure", "2024-10-01-preview");
    first.getState().selectApiVersion("foundry", "v1");
    first.getState().selectApiVersion("foundry", null);
    const second = createPlaygroundStore({ storage: mem.storage });
    await second.persist.rehydrate();
    expect(second.getState().apiVersionByConnection).toEqual({ azure: "2024-10-01-preview" });
  });

  it("forgets a thread and clears it as current", () => {
    const store = createPlaygroundStore({ storage: memoryStorage().storage });
    store.getState().addThread({ id: "thread_a", connection: "local", assistantId: "asst_1", createdAt: 1 });
    store.getState().forgetThread("local", "thread_a");
    expect(store.getState().threads).toEqual([]);
    expect(store.getState().currentThread).toEqual({});
  });

  it("keeps a title and a draft per thread, and forgets a deleted thread's draft", () => {
    const store = createPlaygroundStore({
      storage: { getItem: () => null, setItem: () => {}, removeItem: () => {} },
    });
    const s = () => store.getState();
    s().addThread({ id: "thread_1", connection: "local", assistantId: "asst_1", createdAt: 1 });
    s().titleThread("local", "thread_1", "First question");
    s().titleThread("local", "thread_1", "Second question");
    expect(s().threads[0]?.title).toBe("First question");
    s().titleThread("local", "thread_1", "Renamed", true);
    expect(s().threads[0]?.title).toBe("Renamed");
    s().setDraft(draftKey("local", "thread_1", "asst_1"), "half a thought");
    s().setDraft(draftKey("local", null, "asst_1"), "new-thread draft");
    expect(s().drafts).toEqual({
      "local/thread_1": "half a thought",
      "local/new:asst_1": "new-thread draft",
    });
    s().setDraft("local/new:asst_1", "");
    s().forgetThread("local", "thread_1");
    expect(s().drafts).toEqual({});
  });

  it("remembers panel widths within their range, and fills fields an older save lacks", async () => {
    const mem = memoryStorage();
    const first = createPlaygroundStore({ storage: mem.storage });
    first.getState().setPanelWidth("setup", 10_000);
    first.getState().setPanelWidth("inspector", 400.4);
    first.getState().setThreadListOpen(false);
    expect(first.getState().panelWidths).toEqual({ setup: PANEL_WIDTH.setup.max, inspector: 400 });

    const second = createPlaygroundStore({ storage: mem.storage });
    await second.persist.rehydrate();
    expect(second.getState().panelWidths).toEqual({ setup: PANEL_WIDTH.setup.max, inspector: 400 });
    expect(second.getState().threadListOpen).toBe(false);

    // A save from before widths existed, and one edited by hand to nonsense.
    mem.data.set(
      PLAYGROUND_STORAGE_KEY,
      JSON.stringify({ state: { panels: { setup: true, chat: true, inspector: false } }, version: 1 }),
    );
    const third = createPlaygroundStore({ storage: mem.storage });
    await third.persist.rehydrate();
    expect(third.getState().panelWidths).toEqual({
      setup: PANEL_WIDTH.setup.initial,
      inspector: PANEL_WIDTH.inspector.initial,
    });
    expect(third.getState().threadListOpen).toBe(true);
    expect(third.getState().panels.inspector).toBe(false);
    mem.data.set(
      PLAYGROUND_STORAGE_KEY,
      JSON.stringify({ state: { panelWidths: { setup: "wide", inspector: -5 } }, version: 1 }),
    );
    const fourth = createPlaygroundStore({ storage: mem.storage });
    await fourth.persist.rehydrate();
    expect(fourth.getState().panelWidths).toEqual({
      setup: PANEL_WIDTH.setup.initial,
      inspector: PANEL_WIDTH.inspector.min,
    });
  });
});
