import { describe, expect, it } from "vitest";
import type { StateStorage } from "zustand/middleware";
import { emptyForm } from "../assistants/form";
import { ASSISTANT_DRAFT_STORAGE_KEY, createAssistantDraftStore, draftKey } from "./assistant-draft-store";

const memoryStorage = (): StateStorage & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
};

describe("assistant draft store", () => {
  it("keeps drafts per connection and assistant across a reload, and clears them", async () => {
    const storage = memoryStorage();
    const store = createAssistantDraftStore({ storage });
    store.getState().setDraft(draftKey("local", null), { ...emptyForm(), name: "New one" });
    store.getState().setDraft(draftKey("local", "asst_1"), { ...emptyForm(), name: "Edited" });
    expect(storage.data.get(ASSISTANT_DRAFT_STORAGE_KEY)).toContain("Edited");

    const reloaded = createAssistantDraftStore({ storage });
    await reloaded.persist.rehydrate();
    expect(reloaded.getState().drafts["local/new"]?.values.name).toBe("New one");
    expect(reloaded.getState().drafts["local/asst_1"]?.values.name).toBe("Edited");
    reloaded.getState().clearDraft("local/asst_1");
    expect(Object.keys(reloaded.getState().drafts)).toEqual(["local/new"]);
  });

  it("remembers used deployments, most recent first, without duplicates or blanks", () => {
    const store = createAssistantDraftStore({ storage: memoryStorage() });
    for (const d of ["gpt-4o", "my-dep", " ", "gpt-4o "]) store.getState().rememberDeployment(d);
    expect(store.getState().usedDeployments).toEqual(["gpt-4o", "my-dep"]);
  });
});
