// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { StateStorage } from "zustand/middleware";
import { createPlaygroundClient } from "@/lib/client/sdk";
import type { ClientScope } from "@/lib/client/queries/scope";
import { useRunStream } from "@/lib/client/use-run-stream";
import {
  createPlaygroundStore,
  threadScope,
  type PlaygroundState,
} from "@/lib/client/stores/playground-store";
import { PlaygroundStoreProvider, usePlaygroundStore } from "@/lib/client/stores/playground-store-provider";
import {
  createFakeAssistantsFetch,
  scriptedRunEvents,
  type FakeOptions,
} from "@/lib/client/test-support/fake-assistants-fetch";
import { ChatPanel } from "./chat-panel";

afterEach(cleanup);

const memoryStorage = (): StateStorage => {
  const data = new Map<string, string>();
  return {
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
};

function Harness({ scope, assistantId }: { scope: ClientScope; assistantId: string }) {
  const runStream = useRunStream(scope);
  const threadId = usePlaygroundStore(
    (s) => s.currentThread[threadScope(scope.connection.name, assistantId)] ?? null,
  );
  return <ChatPanel scope={scope} assistantId={assistantId} threadId={threadId} runStream={runStream} />;
}

function setup(options: FakeOptions = {}, initial: Partial<PlaygroundState> = {}) {
  const fake = createFakeAssistantsFetch(options);
  const connection = { name: "local", apiVersion: "2024-05-01-preview" };
  const scope = {
    connection,
    client: createPlaygroundClient(connection, { origin: "http://app.test", fetch: fake.fetch }),
  };
  const store = createPlaygroundStore({ storage: memoryStorage(), initial });
  // Fresh for 10 s, as in the app (app/providers.tsx).
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 10_000 } } });
  render(
    <QueryClientProvider client={queryClient}>
      <PlaygroundStoreProvider store={store}>
        <Harness scope={scope} assistantId="asst_1" />
      </PlaygroundStoreProvider>
    </QueryClientProvider>,
  );
  return { fake, store, textbox: screen.getByRole("textbox", { name: "Message" }) };
}

const ANSWER = [
  "## Adding fractions\n\n",
  "Find a **common** denominator.\n\n",
  "- step one\n",
  "- step two\n",
];

describe("ChatPanel", () => {
  it("sends on Enter: creates a thread and the message, streams a run, and renders the markdown answer", async () => {
    const { fake, textbox, store } = setup({ runEvents: (t, a) => scriptedRunEvents(t, a, ANSWER) });
    fireEvent.change(textbox, { target: { value: "How do I add fractions?" } });
    fireEvent.keyDown(textbox, { key: "Enter" });

    const log = screen.getByRole("log", { name: "Conversation" });
    expect(
      await within(log).findByRole("heading", { level: 2, name: "Adding fractions" }, { timeout: 5000 }),
    ).toBeTruthy();
    expect(within(log).getByText("common").tagName).toBe("STRONG");
    expect(
      within(log)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["step one", "step two"]);
    await waitFor(() =>
      expect(screen.getByRole("status", { name: "Run status" }).textContent).toContain("Completed"),
    );
    expect((textbox as HTMLTextAreaElement).value).toBe("");

    const threadId = store.getState().threads[0]?.id;
    expect(threadId).toMatch(/^thread_/);
    const message = fake.requests.find((r) => r.method === "POST" && r.path.endsWith("/messages"));
    expect(message?.body).toEqual({ role: "user", content: "How do I add fractions?" });
    const run = fake.requests.find(
      (r) => r.method === "POST" && r.path === `/api/openai/threads/${threadId}/runs`,
    );
    expect(run?.body).toEqual({ assistant_id: "asst_1", stream: true });
    // A thread just made is known to be empty: nothing is read from it before the run starts.
    const beforeRun = fake.requests.slice(0, fake.requests.indexOf(run!));
    expect(beforeRun.filter((r) => r.path.includes("/threads")).map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /api/openai/threads",
      `POST /api/openai/threads/${threadId}/messages`,
    ]);
    expect(run?.headers.get("x-playground-connection")).toBe("local");
    expect(run?.query.get("api-version")).toBe("2024-05-01-preview");
  });

  it("Shift+Enter does not send", () => {
    const { fake, textbox } = setup();
    fireEvent.change(textbox, { target: { value: "line one" } });
    fireEvent.keyDown(textbox, { key: "Enter", shiftKey: true });
    expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(0);
  });

  it("keeps the draft when the message cannot be added, and says what happened and what to do", async () => {
    const { textbox } = setup({}, { currentThread: { "local/asst_1": "thread_gone" } });
    fireEvent.change(textbox, { target: { value: "My long draft" } });
    fireEvent.click(screen.getByRole("button", { name: "Send" }));

    const sendButton = await screen.findByRole("button", { name: "Try again" });
    const alert = sendButton.closest("[role=alert]");
    expect(alert?.textContent).toContain("Error 404");
    expect(alert?.textContent).toContain("No thread found with id 'thread_gone'.");
    expect(alert?.textContent).toContain("Start a new thread");
    expect((textbox as HTMLTextAreaElement).value).toBe("My long draft");
    // Loading the vanished thread failed too; that alert offers the way forward directly.
    expect(screen.getByRole("button", { name: "Start a new thread" })).toBeTruthy();
  });

  it("starts a run exactly once when the upstream fails (no automatic retry), and offers to retry the run", async () => {
    const { fake, textbox } = setup({ runStatus: 500 });
    fireEvent.change(textbox, { target: { value: "Hello" } });
    fireEvent.keyDown(textbox, { key: "Enter" });

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Error 500");
    expect(alert.textContent).toContain("The upstream failed.");
    const runPosts = () => fake.requests.filter((r) => r.method === "POST" && /\/runs$/.test(r.path));
    expect(runPosts()).toHaveLength(1);

    fireEvent.click(within(alert).getByRole("button", { name: "Retry run" }));
    await waitFor(() => expect(runPosts()).toHaveLength(2));
    // A retried run never re-sends the message.
    expect(fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/messages"))).toHaveLength(1);
  });
});
