// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { StateStorage } from "zustand/middleware";
import { createPlaygroundClient } from "@/lib/client/sdk";
import { createPlaygroundStore } from "@/lib/client/stores/playground-store";
import { PlaygroundStoreProvider, usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { createFakeAssistantsFetch } from "@/lib/client/test-support/fake-assistants-fetch";
import type { ClientScope } from "@/lib/client/queries/scope";
import { connectionKeys } from "@/lib/client/connections";
import { createAssistantDraftStore } from "@/lib/client/stores/assistant-draft-store";
import { AssistantDraftStoreContext } from "@/lib/client/stores/assistant-draft-store-hooks";
import { AssistantSetup } from "./assistant-setup";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const memoryStorage = (): StateStorage => {
  const data = new Map<string, string>();
  return {
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
};

function Harness({ scope }: { scope: ClientScope }) {
  const assistantId = usePlaygroundStore((s) => s.assistantByConnection[scope.connection.name] ?? null);
  return <AssistantSetup scope={scope} assistantId={assistantId} />;
}

function setup(info: Record<string, unknown> = {}) {
  const fake = createFakeAssistantsFetch();
  const connection = { name: "local", apiVersion: "2024-05-01-preview" };
  const scope = {
    connection,
    client: createPlaygroundClient(connection, { origin: "http://app.test", fetch: fake.fetch }),
  };
  const store = createPlaygroundStore({ storage: memoryStorage() });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  queryClient.setQueryData(connectionKeys.all, {
    userConnections: { enabled: false, hosts: [] },
    connections: [
      {
        name: "local",
        kind: "local",
        label: "Local",
        description: "",
        apiVersion: "2024-05-01-preview",
        apiVersions: ["2024-05-01-preview"],
        deployments: ["gpt-4o", "gpt-4o-mini"],
        default: true,
        ...info,
      },
    ],
  });
  const draftStorage = memoryStorage();
  const drafts = createAssistantDraftStore({ storage: draftStorage });
  render(
    <QueryClientProvider client={queryClient}>
      <AssistantDraftStoreContext.Provider value={drafts}>
        <PlaygroundStoreProvider store={store}>
          <Harness scope={scope} />
        </PlaygroundStoreProvider>
      </AssistantDraftStoreContext.Provider>
    </QueryClientProvider>,
  );
  return { fake, store, drafts, draftStorage };
}

/** Chooses an assistant in the setup's combobox by typing its id and clicking its option. */
async function pick(id: string) {
  const box = screen.getByRole("combobox", { name: "Assistant" });
  fireEvent.change(box, { target: { value: id } });
  fireEvent.click(await screen.findByRole("option", { name: new RegExp(`${id}$`) }));
}

describe("AssistantSetup", () => {
  it("creates an assistant from the form, defaulting the deployment to gpt-4o, and selects it", async () => {
    const { fake, store } = setup();
    expect((screen.getByLabelText("Deployment") as HTMLInputElement).value).toBe("gpt-4o");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Tutor" } });
    fireEvent.change(screen.getByLabelText("Instructions"), { target: { value: "You are a tutor." } });
    fireEvent.click(screen.getByLabelText("Code interpreter"));
    fireEvent.click(screen.getByRole("button", { name: "Create assistant" }));

    await screen.findByRole("button", { name: "Save changes" });
    const create = fake.requests.find((r) => r.method === "POST" && r.path === "/api/openai/assistants");
    expect(create?.body).toEqual({
      name: "Tutor",
      description: null,
      instructions: "You are a tutor.",
      model: "gpt-4o",
      tools: [{ type: "code_interpreter" }],
      tool_resources: { code_interpreter: { file_ids: [] } },
      metadata: {},
      temperature: 1,
      top_p: 1,
      response_format: "auto",
    });
    const id = fake.assistants[0]?.id;
    expect(store.getState().assistantByConnection.local).toBe(id);
    expect((screen.getByRole("combobox", { name: "Assistant" }) as HTMLInputElement).value).toBe(
      `Tutor · ${id}`,
    );
    expect(screen.getByRole("status").textContent).toBe("Created.");
  });

  it("says beside Code interpreter which sandbox runs the code, or why none does", () => {
    setup({
      codeSandbox: {
        kind: "python",
        available: true,
        description: "Python 3.11, isolated (bubblewrap), no network",
      },
      engineModel: "chat-completions",
    });
    const box = screen.getByLabelText("Code interpreter");
    expect(box.getAttribute("aria-describedby")).toBeTruthy();
    const note = document.getElementById(box.getAttribute("aria-describedby")!);
    expect(note?.textContent).toBe("Code runs in: Python 3.11, isolated (bubblewrap), no network");
    fireEvent.click(box);
    // With a sandbox, a chat model runs code: no "cannot run" warning.
    expect(screen.queryByRole("note")).toBeNull();
    cleanup();

    setup({
      codeSandbox: { kind: "off", available: false, description: "off: bwrap not found: install bubblewrap" },
      engineModel: "chat-completions",
    });
    expect(screen.getByText(/No code sandbox on this connection \(off: bwrap not found/)).toBeTruthy();
    fireEvent.click(screen.getByLabelText("Code interpreter"));
    expect(screen.getByRole("note").textContent).toMatch(
      /off: bwrap not found.*its model cannot run code, runs go on without code interpreter/,
    );
    cleanup();

    setup({ codeSandbox: null, engineModel: null });
    expect(screen.getByLabelText("Code interpreter").getAttribute("aria-describedby")).toBeNull();
    expect(screen.queryByText(/Code runs in|No code sandbox/)).toBeNull();
  });

  it("saves edits to the selected assistant, keeping tools it does not manage", async () => {
    const { fake } = setup();
    fake.assistants.push({
      id: "asst_fn",
      object: "assistant",
      name: "With function",
      instructions: "old",
      model: "my-deployment",
      tools: [{ type: "function", function: { name: "get_weather", parameters: {} } }],
    });
    await pick("asst_fn");
    const instructions = (await screen.findByDisplayValue("old")) as HTMLTextAreaElement;
    expect((screen.getByLabelText("Deployment") as HTMLInputElement).value).toBe("my-deployment");
    fireEvent.change(instructions, { target: { value: "new instructions" } });
    fireEvent.click(screen.getByLabelText("File search"));
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() =>
      expect(
        fake.requests.some((r) => r.method === "POST" && r.path === "/api/openai/assistants/asst_fn"),
      ).toBe(true),
    );
    const update = fake.requests.find(
      (r) => r.method === "POST" && r.path === "/api/openai/assistants/asst_fn",
    );
    expect(update?.body).toMatchObject({
      name: "With function",
      instructions: "new instructions",
      model: "my-deployment",
      tools: [
        { type: "file_search" },
        { type: "function", function: { name: "get_weather", parameters: {} } },
      ],
      tool_resources: { file_search: { vector_store_ids: [] } },
    });
    // Saving says what changed.
    await waitFor(() =>
      expect(screen.getByRole("status").textContent).toContain("Saved. Changed: Instructions, File search."),
    );
  });

  it("shows the upstream's error when saving fails, keeping what was typed", async () => {
    const { fake } = setup();
    fake.assistants.push({
      id: "asst_x",
      object: "assistant",
      name: "X",
      instructions: "",
      model: "gpt-4o",
      tools: [],
    });
    await pick("asst_x");
    await screen.findByRole("button", { name: "Save changes" });
    fake.assistants.length = 0; // deleted elsewhere
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Renamed" } });
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Error 404");
    expect(alert.textContent).toContain("No assistant found with id 'asst_x'.");
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Renamed");
  });

  it("explains invalid values beside their fields and sends nothing", async () => {
    const { fake } = setup();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "n".repeat(257) } });
    fireEvent.change(screen.getByLabelText("Temperature"), { target: { value: "3" } });
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Name is 257 characters; the limit is 256.")).toBeTruthy();
    expect(screen.getByText("Temperature must be between 0 and 2; 3 is out of range.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Create assistant" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Fix 2 problems before saving");
    expect(fake.requests.some((r) => r.method === "POST")).toBe(false);
  });

  it("asks before switching away from unsaved edits (read from the draft store), and not otherwise", async () => {
    const { fake, store } = setup();
    fake.assistants.push({ id: "asst_a", object: "assistant", name: "A", model: "gpt-4o", tools: [] });
    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);
    await pick("asst_a");
    await screen.findByRole("button", { name: "Save changes" });
    expect(confirm).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "A2" } });
    fireEvent.click(screen.getByRole("button", { name: "New assistant" }));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(store.getState().assistantByConnection.local).toBe("asst_a");

    // Typed back to what is saved: nothing unsaved, so no question.
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "A" } });
    fireEvent.click(screen.getByRole("button", { name: "New assistant" }));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(store.getState().assistantByConnection.local ?? null).toBeNull();
  });

  it("keeps the draft in storage, so a remount (a reload) restores what was typed", async () => {
    const { draftStorage } = setup();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Half-typed" } });
    expect(screen.getByText("Unsaved changes")).toBeTruthy();
    expect(draftStorage.getItem("assistants-playground.assistant-drafts")).toContain("Half-typed");
    cleanup();
    const drafts = createAssistantDraftStore({ storage: draftStorage });
    await drafts.persist.rehydrate();
    expect(Object.values(drafts.getState().drafts)[0]?.values.name).toBe("Half-typed");
  });

  it("says 'New assistant' once on a first visit: no option, no idle button, the builder 'Not saved yet'", () => {
    setup();
    expect(screen.queryAllByText("New assistant")).toHaveLength(0);
    expect(screen.queryByRole("button", { name: "New assistant" })).toBeNull();
    expect(screen.getByText("Not saved yet")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Create assistant" })).toBeTruthy();
  });

  it("picks from every assistant: a combobox that loads server pages as needed and searches by name or id", async () => {
    const { fake, store } = setup();
    for (let i = 1; i <= 130; i++)
      fake.assistants.push({
        id: `asst_n${i}`,
        object: "assistant",
        name: i === 2 ? "Oldest but one" : `Helper ${i}`,
        model: "gpt-4o",
        tools: [],
      });
    const box = screen.getByRole("combobox", { name: "Assistant" });
    expect(box.getAttribute("aria-expanded")).toBe("false");
    expect(box.getAttribute("aria-autocomplete")).toBe("list");
    const listbox = document.getElementById(box.getAttribute("aria-controls")!)!;
    expect(listbox.getAttribute("role")).toBe("listbox");

    // Opened: the newest page (50), not every assistant at once.
    fireEvent.keyDown(box, { key: "ArrowDown" });
    expect(box.getAttribute("aria-expanded")).toBe("true");
    await waitFor(() => expect(within(listbox).getAllByRole("option")).toHaveLength(50));
    expect(within(listbox).getAllByRole("option")[0]!.textContent).toContain("Helper 130");
    const pageCalls = () =>
      fake.requests.filter((r) => r.method === "GET" && r.path === "/api/openai/assistants").length;
    expect(pageCalls()).toBe(1);
    // The keyboard moves the active option; past the end, the next page (after the last id) loads.
    fireEvent.keyDown(box, { key: "ArrowDown" });
    expect(document.getElementById(box.getAttribute("aria-activedescendant")!)?.textContent).toContain(
      "Helper 129",
    );
    fireEvent.keyDown(box, { key: "PageDown" });
    for (let i = 0; i < 5; i++) fireEvent.keyDown(box, { key: "PageDown" });
    fireEvent.keyDown(box, { key: "ArrowDown" });
    await waitFor(() => expect(within(listbox).getAllByRole("option")).toHaveLength(100));
    const after = fake.requests.filter((r) => r.path === "/api/openai/assistants").at(-1)!.query;
    expect(after.get("after")).toBe("asst_n81");

    // A search reads on through the pages until it finds enough: this one is on the third.
    fireEvent.change(box, { target: { value: "oldest" } });
    await waitFor(() =>
      expect(within(listbox).getByRole("option", { name: "Oldest but one · asst_n2" })).toBeTruthy(),
    );
    expect(within(listbox).getAllByRole("option")).toHaveLength(1);
    expect(pageCalls()).toBe(3);
    // By id; Enter chooses the active option.
    fireEvent.change(box, { target: { value: "asst_n3" } });
    await waitFor(() => expect(within(listbox).getAllByRole("option")[0]!.textContent).toContain("asst_n3"));
    fireEvent.keyDown(box, { key: "Enter" });
    expect(store.getState().assistantByConnection.local).toBe("asst_n3");
    expect(box.getAttribute("aria-expanded")).toBe("false");
    await waitFor(() => expect((box as HTMLInputElement).value).toBe("Helper 3 · asst_n3"));
    // Escape leaves a half-typed search and shows the chosen one again.
    fireEvent.change(box, { target: { value: "zzz" } });
    fireEvent.keyDown(box, { key: "Escape" });
    expect((box as HTMLInputElement).value).toBe("Helper 3 · asst_n3");
  });
});
