import type { RunStep, ToolCall } from "openai/resources/beta/threads/runs/steps";

export type StepKind = "message_creation" | ToolCall["type"];

export interface StepUsage {
  prompt: number;
  completion: number;
  total: number;
}

/** One row of the run-steps timeline. Times are Unix seconds, as the protocol gives them. */
export interface TimelineRow {
  id: string;
  type: RunStep["type"];
  /** What the step did: message creation, or the types of its tool calls in order (deduplicated). */
  kinds: StepKind[];
  status: RunStep["status"];
  start: number;
  /** When the step ended (completed, failed, cancelled or expired); null while it is in progress. */
  end: number | null;
  /** end − start in seconds; null while in progress. */
  duration: number | null;
  /** null when the upstream reports none (v1, or a step still in progress). */
  usage: StepUsage | null;
  step: RunStep;
}

export interface Timeline {
  rows: TimelineRow[];
  /** The sum of the steps' usage; null when no step reports usage. */
  total: StepUsage | null;
  /** How many steps are still in progress. */
  active: number;
}

const rank = (status: RunStep["status"]) => (status === "in_progress" ? 0 : 1);

/**
 * The server's steps and the stream's, by id. A streamed copy wins while both are in progress (it
 * has the deltas) or when it has moved further; once the server's copy has ended it wins (it may
 * carry more, e.g. file-search content asked for with `include[]`).
 */
export function mergeSteps(server: readonly RunStep[], live: readonly RunStep[]): RunStep[] {
  const byId = new Map(server.map((s) => [s.id, s]));
  for (const step of live) {
    const known = byId.get(step.id);
    if (
      !known ||
      rank(step.status) > rank(known.status) ||
      (rank(known.status) === 0 && rank(step.status) === 0)
    )
      byId.set(step.id, step);
  }
  // Stable: steps created in the same second keep the server's order (then the stream's).
  return [...byId.values()].sort((a, b) => a.created_at - b.created_at);
}

export function stepEnd(step: RunStep): number | null {
  return step.completed_at ?? step.failed_at ?? step.cancelled_at ?? step.expired_at ?? null;
}

export function stepKinds(step: RunStep): StepKind[] {
  if (step.step_details.type === "message_creation") return ["message_creation"];
  return [...new Set(step.step_details.tool_calls.map((c) => c.type))];
}

function stepUsage(step: RunStep): StepUsage | null {
  const u = step.usage;
  if (!u) return null;
  return { prompt: u.prompt_tokens, completion: u.completion_tokens, total: u.total_tokens };
}

export function toRow(step: RunStep): TimelineRow {
  const end = step.status === "in_progress" ? null : stepEnd(step);
  return {
    id: step.id,
    type: step.type,
    kinds: stepKinds(step),
    status: step.status,
    start: step.created_at,
    end,
    duration: end === null ? null : Math.max(0, end - step.created_at),
    usage: stepUsage(step),
    step,
  };
}

/** The timeline of one run: the server's steps merged with the stream's, oldest first, with totals. */
export function buildTimeline(server: readonly RunStep[], live: readonly RunStep[] = []): Timeline {
  const rows = mergeSteps(server, live).map(toRow);
  const reported = rows.flatMap((r) => (r.usage ? [r.usage] : []));
  const total = reported.length
    ? reported.reduce((sum, u) => ({
        prompt: sum.prompt + u.prompt,
        completion: sum.completion + u.completion,
        total: sum.total + u.total,
      }))
    : null;
  return { rows, total, active: rows.filter((r) => r.status === "in_progress").length };
}

/** "0 s", "4 s", "2 min 5 s", "1 h 3 min": protocol times are whole seconds. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) {
    const s = seconds % 60;
    return `${Math.floor(seconds / 60)} min${s ? ` ${s} s` : ""}`;
  }
  const m = Math.floor((seconds % 3600) / 60);
  return `${Math.floor(seconds / 3600)} h${m ? ` ${m} min` : ""}`;
}

const KIND_LABELS: Record<StepKind, string> = {
  message_creation: "Message creation",
  code_interpreter: "Code interpreter",
  file_search: "File search",
  function: "Function call",
};

/** "Code interpreter", "File search + Function call", "Tool calls" (none streamed yet). */
export function rowTitle(row: Pick<TimelineRow, "kinds">): string {
  return row.kinds.length ? row.kinds.map((k) => KIND_LABELS[k]).join(" + ") : "Tool calls";
}

function callHint(call: ToolCall): string {
  switch (call.type) {
    case "code_interpreter":
      return (
        call.code_interpreter.input
          .split("\n")
          .find((l) => l.trim())
          ?.trim() ?? ""
      );
    case "file_search": {
      const n = call.file_search.results?.length;
      return n === undefined ? "" : n === 1 ? "1 result" : `${n} results`;
    }
    case "function": {
      const args = call.function.arguments.replace(/\s+/g, " ");
      return `${call.function.name}(${args.length > 40 ? `${args.slice(0, 39)}…` : args})`;
    }
  }
}

/** One line on what a step did, for its collapsed row: the code's first line, a call, a result count. */
export function stepHint(step: RunStep): string {
  if (step.step_details.type === "message_creation") return "";
  return step.step_details.tool_calls.map(callHint).filter(Boolean).join("; ");
}
