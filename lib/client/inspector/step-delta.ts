import type {
  CodeInterpreterToolCall,
  RunStep,
  RunStepDeltaEvent,
  ToolCall,
  ToolCallDelta,
} from "openai/resources/beta/threads/runs/steps";

type CodeOutput = CodeInterpreterToolCall.CodeInterpreter["outputs"][number];

/** Applies one tool-call delta to the call at its index: text fields append, outputs land at their index. */
function mergeToolCall(current: ToolCall | undefined, delta: ToolCallDelta): ToolCall {
  switch (delta.type) {
    case "function": {
      const base =
        current?.type === "function"
          ? current
          : {
              id: delta.id ?? "",
              type: "function" as const,
              function: { name: "", arguments: "", output: null },
            };
      const f = delta.function;
      return {
        ...base,
        id: delta.id ?? base.id,
        function: {
          name: f?.name ? f.name : base.function.name,
          arguments: base.function.arguments + (f?.arguments ?? ""),
          output: f?.output ?? base.function.output,
        },
      };
    }
    case "code_interpreter": {
      const base =
        current?.type === "code_interpreter"
          ? current
          : {
              id: delta.id ?? "",
              type: "code_interpreter" as const,
              code_interpreter: { input: "", outputs: [] as CodeOutput[] },
            };
      const ci = delta.code_interpreter;
      const outputs = base.code_interpreter.outputs.slice();
      for (const out of ci?.outputs ?? []) {
        // Streamed outputs carry their index; the final shape does not.
        const { index, ...rest } = out as CodeOutput & { index?: number };
        const at = typeof index === "number" ? index : outputs.length;
        const prev = outputs[at];
        outputs[at] =
          rest.type === "logs" && prev?.type === "logs"
            ? { type: "logs", logs: prev.logs + (rest.logs ?? "") }
            : (rest as CodeOutput);
      }
      return {
        ...base,
        id: delta.id ?? base.id,
        code_interpreter: {
          input: base.code_interpreter.input + (ci?.input ?? ""),
          outputs: outputs.filter((o): o is CodeOutput => o !== undefined),
        },
      };
    }
    case "file_search": {
      const base =
        current?.type === "file_search"
          ? current
          : { id: delta.id ?? "", type: "file_search" as const, file_search: {} };
      const more = delta.file_search && typeof delta.file_search === "object" ? delta.file_search : {};
      return { ...base, id: delta.id ?? base.id, file_search: { ...base.file_search, ...more } };
    }
  }
}

/**
 * Merges a `thread.run.step.delta` into the steps a stream has reported, so the inspector shows a
 * tool call's code or arguments while they stream. A delta for a step not seen yet is ignored:
 * `thread.run.step.created` always comes first, and the completed step carries everything anyway.
 */
export function applyStepDelta(steps: readonly RunStep[], event: RunStepDeltaEvent): RunStep[] {
  const at = steps.findIndex((s) => s.id === event.id);
  const step = steps[at];
  const details = event.delta.step_details;
  if (!step || !details) return steps as RunStep[];
  let next: RunStep;
  if (details.type === "tool_calls" && step.step_details.type === "tool_calls") {
    const calls = step.step_details.tool_calls.slice();
    for (const delta of details.tool_calls ?? [])
      calls[delta.index] = mergeToolCall(calls[delta.index], delta);
    next = {
      ...step,
      step_details: { type: "tool_calls", tool_calls: calls.filter((c): c is ToolCall => c !== undefined) },
    };
  } else if (details.type === "message_creation" && step.step_details.type === "message_creation") {
    const id = details.message_creation?.message_id;
    if (!id) return steps as RunStep[];
    next = { ...step, step_details: { type: "message_creation", message_creation: { message_id: id } } };
  } else {
    return steps as RunStep[];
  }
  const copy = steps.slice();
  copy[at] = next;
  return copy;
}
