// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import { StepDetail } from "./step-details";

afterEach(cleanup);

const options = {
  scope: null,
  fileSearchContent: false,
  onRequestFileSearchContent: () => {},
  loadingContent: false,
};

function codeStep(logs: string): RunStep {
  return {
    object: "thread.run.step",
    id: "step_ci",
    assistant_id: "asst_1",
    thread_id: "thread_1",
    run_id: "run_1",
    type: "tool_calls",
    status: "completed",
    created_at: 100,
    completed_at: 101,
    failed_at: null,
    cancelled_at: null,
    expired_at: null,
    last_error: null,
    metadata: null,
    usage: null,
    step_details: {
      type: "tool_calls",
      tool_calls: [
        {
          id: "call_ci",
          type: "code_interpreter",
          code_interpreter: { input: "print('ok')\n1 / 0", outputs: [{ type: "logs", logs }] },
        },
      ],
    },
  };
}

const show = (logs: string) =>
  render(<StepDetail step={codeStep(logs)} options={options} onMissingMessage={() => {}} />);

describe("code-interpreter logs in a step", () => {
  it("shows plain output as Logs, with no error", () => {
    show("ok\n");
    expect(screen.getByLabelText("Logs").textContent).toBe("ok\n");
    expect(screen.queryByRole("group")).toBeNull();
    expect(screen.queryByLabelText("Error output")).toBeNull();
  });

  it("sets a traceback apart as a labelled, red error named by its exception, after the output", () => {
    const traceback =
      "Traceback (most recent call last):\n" +
      '  File "<cell 1>", line 2, in <module>\n' +
      "ZeroDivisionError: division by zero";
    show(`ok\n${traceback}\n`);
    expect(screen.getByLabelText("Logs").textContent).toBe("ok");
    const error = screen.getByRole("group", { name: "Error: ZeroDivisionError: division by zero" });
    const pre = within(error).getByLabelText("Error output");
    expect(pre.textContent).toBe(traceback);
    expect(pre.className).toMatch(/bg-red-50/);
    // Readable by keyboard: the error's text can be focused and scrolled.
    expect(pre.getAttribute("tabindex")).toBe("0");
  });

  it("shows a stop by the sandbox (time limit) as the error, without an empty Logs block", () => {
    show("Execution stopped: the time limit (60 s) was reached; the session was restarted.");
    expect(screen.queryByLabelText("Logs")).toBeNull();
    expect(
      screen.getByRole("group", { name: /Error: Execution stopped: the time limit \(60 s\) was reached/ }),
    ).toBeTruthy();
  });
});

describe("a function call in a step", () => {
  it("has one heading naming the function and the call, with no second row called Function", () => {
    const step: RunStep = {
      ...codeStep(""),
      id: "step_fn",
      step_details: {
        type: "tool_calls",
        tool_calls: [
          {
            id: "call_fn",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Bergen"}', output: "11 °C" },
          },
        ],
      },
    };
    render(<StepDetail step={step} options={options} onMissingMessage={() => {}} />);
    const call = screen.getByRole("region", { name: "Function call call_fn" });
    expect(within(call).getByRole("heading", { level: 4 }).textContent).toBe("Function get_weathercall_fn");
    const rows = [...call.querySelectorAll("h4, h5, p, dt")].map((el) => el.textContent ?? "");
    expect(rows.filter((t) => /^Function\b/.test(t))).toHaveLength(1);
    expect(within(call).getByLabelText("Output of get_weather").textContent).toBe("11 °C");
  });
});
