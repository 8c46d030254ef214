// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { StateStorage } from "zustand/middleware";
import { createPlaygroundClient } from "@/lib/client/sdk";
import { createPlaygroundStore } from "@/lib/client/stores/playground-store";
import { PlaygroundStoreProvider, usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import { createFakeAssistantsFetch } from "@/lib/client/test-support/fake-assistants-fetch";
import type { ClientScope } from "@/lib/client/queries/scope";
import { AssistantSetup } from "./assistant-setup";

afterEach(cleanup);

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

function setup() {
  const fake = createFakeAssistantsFetch();
  const connection = { name: "local", apiVersion: "2024-05-01-preview" };
  const scope = {
    connection,
    client: createPlaygroundClient(connection, { origin: "http://app.test", fetch: fake.fetch }),
  };
  const store = createPlaygroundStore({ storage: memoryStorage() });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <PlaygroundStoreProvider store={store}>
        <Harness scope={scope} />
      </PlaygroundStoreProvider>
    </QueryClientProvider>,
  );
  return { fake, store };
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
      instructions: "You are a tutor.",
      model: "gpt-4o",
      tools: [{ type: "code_interpreter" }],
    });
    const id = fake.assistants[0]?.id;
    expect(store.getState().assistantByConnection.local).toBe(id);
    expect((screen.getByLabelText("Assistant") as HTMLSelectElement).value).toBe(id);
    expect(screen.getByRole("status").textContent).toBe("Saved.");
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
    await screen.findByRole("option", { name: /With function/ });
    fireEvent.change(screen.getByLabelText("Assistant"), { target: { value: "asst_fn" } });
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
    const update = fake.requests.find((r) => r.path === "/api/openai/assistants/asst_fn");
    expect(update?.body).toEqual({
      name: "With function",
      instructions: "new instructions",
      model: "my-deployment",
      tools: [
        { type: "file_search" },
        { type: "function", function: { name: "get_weather", parameters: {} } },
      ],
    });
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
    await screen.findByRole("option", { name: /X · asst_x/ });
    fireEvent.change(screen.getByLabelText("Assistant"), { target: { value: "asst_x" } });
    await screen.findByRole("button", { name: "Save changes" });
    fake.assistants.length = 0; // deleted elsewhere
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Renamed" } });
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Error 404");
    expect(alert.textContent).toContain("No assistant found with id 'asst_x'.");
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Renamed");
  });
});
