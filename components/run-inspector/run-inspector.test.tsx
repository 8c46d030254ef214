// @vitest-environment happy-dom
import { useState, useSyncExternalStore } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createPlaygroundClient } from "@/lib/client/sdk";
import { createFakeAssistantsFetch } from "@/lib/client/test-support/fake-assistants-fetch";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import { StepTimeline } from "./step-timeline";
import { RunDetails } from "./run-details";
import { RunInspector } from "./run-inspector";
import { runsWithLive } from "./run-tab";
import { Tabs } from "./tabs";

afterEach(cleanup);

const base = {
  object: "thread.run.step" as const,
  assistant_id: "asst_1",
  thread_id: "thread_1",
  run_id: "run_1",
  completed_at: null,
  failed_at: null,
  cancelled_at: null,
  expired_at: null,
  last_error: null,
  metadata: null,
  usage: null,
};

const fnStep: RunStep = {
  ...base,
  id: "step_fn",
  type: "tool_calls",
  status: "completed",
  created_at: 100,
  completed_at: 104,
  usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 },
  step_details: {
    type: "tool_calls",
    tool_calls: [
      {
        id: "call_1",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Oslo"}', output: "9 °C" },
      },
    ],
  },
};
const msgStep: RunStep = {
  ...base,
  id: "step_msg",
  type: "message_creation",
  status: "in_progress",
  created_at: 104,
  step_details: { type: "message_creation", message_creation: { message_id: "msg_7" } },
};

const options = {
  scope: null,
  fileSearchContent: false,
  onRequestFileSearchContent: () => {},
  loadingContent: false,
};

/** Opens a step's details as a click on its summary does (the browser sets `open`, then fires toggle). */
function openStep(item: HTMLElement) {
  const details = item.querySelector("details")!;
  act(() => {
    details.open = true;
    details.dispatchEvent(new Event("toggle"));
  });
}

describe("StepTimeline", () => {
  it("lists each step with its status, duration and tokens, and the total", () => {
    render(<StepTimeline serverSteps={[msgStep, fnStep]} liveSteps={[]} options={options} />);
    const items = within(screen.getByRole("list", { name: "Run steps" })).getAllByRole("listitem");
    expect(items.map((i) => i.querySelector("summary")?.textContent)).toEqual([
      expect.stringMatching(/^▸Function callCompleted.*4 s · 14 tokens$/),
      expect.stringMatching(/^▸Message creationIn progress.*→ …$/),
    ]);
    expect(
      screen.getByText(/^2 steps · 1 in progress · 14 tokens \(10 prompt, 4 completion\)$/),
    ).toBeTruthy();
    // A closed step renders its summary alone; opened, its detail.
    expect(within(items[0]!).queryByLabelText("Output of get_weather")).toBeNull();
    openStep(items[0]!);
    expect(within(items[0]!).getByLabelText("Output of get_weather").textContent).toBe("9 °C");
  });

  it("scrolls to the message a step wrote, or says it is not on screen", () => {
    const target = document.createElement("article");
    target.id = "message-msg_7";
    target.tabIndex = -1;
    target.scrollIntoView = vi.fn();
    document.body.append(target);
    render(<StepTimeline serverSteps={[msgStep]} liveSteps={[]} options={options} />);
    openStep(screen.getByRole("listitem"));
    fireEvent.click(screen.getByRole("link", { name: "Go to message msg_7" }));
    expect(target.scrollIntoView).toHaveBeenCalled();
    expect(document.activeElement).toBe(target);
    target.remove();
    fireEvent.click(screen.getByRole("link", { name: "Go to message msg_7" }));
    expect(screen.getByRole("status").textContent).toContain("Message msg_7 is not on screen");
  });
});

const run = {
  id: "run_1",
  object: "thread.run",
  created_at: 100,
  assistant_id: "asst_1",
  thread_id: "thread_1",
  status: "incomplete",
  started_at: 100,
  expires_at: null,
  cancelled_at: null,
  failed_at: null,
  completed_at: null,
  last_error: null,
  incomplete_details: { reason: "max_completion_tokens" },
  model: "gpt-4o",
  instructions: "Be brief.",
  tools: [{ type: "code_interpreter" }, { type: "function", function: { name: "get_weather" } }],
  metadata: {},
  usage: null,
  temperature: 0.2,
  top_p: 1,
  max_prompt_tokens: 1000,
  max_completion_tokens: 256,
  truncation_strategy: { type: "last_messages", last_messages: 3 },
  tool_choice: "auto",
  parallel_tool_calls: true,
  response_format: "auto",
  required_action: null,
} as unknown as Run;

describe("RunDetails", () => {
  it("shows the settings the run used and why it ended", () => {
    render(<RunDetails run={run} />);
    const value = (term: string) =>
      screen.getByText(term, { selector: "dt" }).nextElementSibling?.textContent;
    expect(value("Model")).toBe("gpt-4o");
    expect(value("Tools")).toBe("code interpreterfunction get_weather");
    expect(value("Temperature")).toBe("0.2");
    expect(value("Truncation")).toBe("last 3 messages");
    expect(value("Max completion tokens")).toBe("256");
    expect(value("Incomplete")).toBe("max_completion_tokens");
    expect(value("Last error")).toBe("—");
  });
});

describe("runsWithLive", () => {
  it("puts the streamed run first, or in place of its listed copy", () => {
    const older = { ...run, id: "run_0" } as Run;
    const live = { ...run, status: "in_progress" } as Run;
    expect(runsWithLive([older], live).map((r) => r.id)).toEqual(["run_1", "run_0"]);
    expect(runsWithLive([run, older], live)[0]?.status).toBe("in_progress");
    expect(runsWithLive([older], null)).toEqual([older]);
  });
});

describe("Tabs", () => {
  it("switches with the arrow keys and keeps every panel mounted", () => {
    render(
      <Tabs
        label="Inspector"
        tabs={[
          { id: "a", label: "Run", content: <p>run panel</p> },
          { id: "b", label: "Request log", content: <p>log panel</p> },
        ]}
      />,
    );
    const run = screen.getByRole("tab", { name: "Run" });
    expect(run.getAttribute("aria-selected")).toBe("true");
    fireEvent.keyDown(run, { key: "ArrowRight" });
    const log = screen.getByRole("tab", { name: "Request log" });
    expect(log.getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(log);
    expect(screen.getByText("run panel").closest("[role=tabpanel]")?.hasAttribute("hidden")).toBe(true);
    expect(screen.getByText("log panel").closest("[role=tabpanel]")?.hasAttribute("hidden")).toBe(false);
  });

  it("keeps a hidden panel's state, and does not re-render it with its store until it shows", () => {
    let count = 0;
    const listeners = new Set<() => void>();
    const store = {
      subscribe: (l: () => void) => (listeners.add(l), () => void listeners.delete(l)),
      get: () => count,
      bump: () => act(() => ((count += 1), listeners.forEach((l) => l()))),
    };
    let renders = 0;
    function Log() {
      const n = useSyncExternalStore(store.subscribe, store.get);
      const [filter, setFilter] = useState("");
      renders += 1;
      return (
        <label>
          Filter ({n} entries)
          <input value={filter} onChange={(e) => setFilter(e.target.value)} />
        </label>
      );
    }
    render(
      <Tabs
        label="Inspector"
        tabs={[
          { id: "a", label: "Run", content: <p>run panel</p> },
          { id: "b", label: "Request log", content: <Log /> },
        ]}
      />,
    );
    fireEvent.click(screen.getByRole("tab", { name: "Request log" }));
    fireEvent.change(screen.getByLabelText(/Filter/), { target: { value: "runs" } });
    fireEvent.click(screen.getByRole("tab", { name: "Run" }));
    const before = renders;
    for (let i = 0; i < 5; i++) store.bump();
    expect(renders).toBe(before);
    fireEvent.click(screen.getByRole("tab", { name: "Request log" }));
    expect(screen.getByLabelText("Filter (5 entries)")).toHaveProperty("value", "runs");
  });
});

describe("RunInspector", () => {
  it("reads a run's steps from the server only once the stream has not got them all: not while a streamed run has just its message step", async () => {
    const fake = createFakeAssistantsFetch();
    const connection = { name: "local", apiVersion: "2024-05-01-preview" };
    const scope = {
      connection,
      client: createPlaygroundClient(connection, { origin: "http://app.test", fetch: fake.fetch }),
    };
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 10_000 } } });
    const run = (status: string) =>
      ({
        id: "run_1",
        object: "thread.run",
        thread_id: "thread_1",
        assistant_id: "asst_1",
        status,
        model: "gpt-4o",
        created_at: 1,
        started_at: 1,
        completed_at: status === "completed" ? 3 : null,
        last_error: null,
        usage: null,
      }) as unknown as Run;
    const stepReads = () =>
      fake.requests.filter((r) => r.method === "GET" && r.path.endsWith("/runs/run_1/steps"));
    const view = (liveRun: Run, liveSteps: RunStep[]) => (
      <QueryClientProvider client={queryClient}>
        <RunInspector scope={scope} threadId="thread_1" liveRun={liveRun} liveSteps={liveSteps} />
      </QueryClientProvider>
    );
    const streamed = { ...msgStep, run_id: "run_1" };
    const { rerender } = render(view(run("in_progress"), [streamed]));
    expect(await screen.findByText("Latest run")).toBeTruthy();
    await waitFor(() =>
      expect(fake.requests.some((r) => r.path.endsWith("/threads/thread_1/runs"))).toBe(true),
    );
    expect(stepReads()).toHaveLength(0);
    // A tool step: the server copy has what the stream leaves out, so it is read mid-run.
    rerender(view(run("in_progress"), [streamed, { ...fnStep, run_id: "run_1", status: "in_progress" }]));
    await waitFor(() => expect(stepReads()).toHaveLength(1));
    cleanup();
    queryClient.clear();
    fake.requests.length = 0;
    // The run ends: read once.
    const again = render(view(run("in_progress"), [streamed]));
    await screen.findByText("Latest run");
    expect(stepReads()).toHaveLength(0);
    again.rerender(view(run("completed"), [{ ...streamed, status: "completed" }]));
    await waitFor(() => expect(stepReads()).toHaveLength(1));
  });
});
