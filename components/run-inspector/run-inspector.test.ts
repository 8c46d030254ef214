import { describe, expect, it } from "vitest";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import { mergeSteps, summarizeStep } from "./run-inspector";

const step = (
  id: string,
  status: RunStep["status"],
  created_at: number,
  details: RunStep["step_details"],
): RunStep =>
  ({
    id,
    object: "thread.run.step",
    status,
    created_at,
    run_id: "run_1",
    type: details.type,
    step_details: details,
  }) as RunStep;

const tool = step("step_tool", "completed", 1, {
  type: "tool_calls",
  tool_calls: [
    {
      id: "call_1",
      type: "code_interpreter",
      code_interpreter: {
        input: "\nimport numpy as np\nx = 1",
        outputs: [
          { type: "logs", logs: "ok" },
          { type: "image", image: { file_id: "file_1" } },
        ],
      },
    },
  ],
});
const message = step("step_msg", "in_progress", 2, {
  type: "message_creation",
  message_creation: { message_id: "msg_1" },
});

describe("run inspector", () => {
  it("summarises tool calls and message creation", () => {
    expect(summarizeStep(tool)).toBe("code interpreter: import numpy as np · 1 log · 1 image");
    expect(summarizeStep(message)).toBe("message msg_1");
  });

  it("merges server and streamed steps, keeping the more advanced copy, in creation order", () => {
    const done = { ...message, status: "completed" } as RunStep;
    expect(mergeSteps([message], [done, tool])).toEqual([tool, done]);
    expect(mergeSteps([done], [message])).toEqual([done]);
    expect(mergeSteps([], [])).toEqual([]);
  });
});
