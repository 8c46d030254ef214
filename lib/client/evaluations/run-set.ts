/**
 * A prompt set against its configurations: every (prompt, configuration) cell runs in a bounded
 * pool that waits out 429s together (lib/evaluations/pool.ts), is checked, and is reported as it
 * settles. Function calls are answered from the prompt's `functionOutputs`; a call without one
 * stops that run (`requires_action`).
 */
import type { AzureOpenAI } from "openai";
import { evaluateChecks, type RunOutcome } from "@/lib/evaluations/checks";
import type { Cell, CheckResult, Configuration, EvaluationRun, Prompt } from "@/lib/evaluations/model";
import { runPool } from "@/lib/evaluations/pool";
import { backoffMs, isRateLimited } from "../retry";
import type { ConnectionRef } from "../sdk";
import { createGrader } from "./grader";
import { runPrompt, type FunctionCallRequest, type LiveRun } from "./run-prompt";

export interface CellKey {
  promptId: string;
  configurationId: string;
}

export const cellKey = (k: CellKey) => `${k.promptId}\n${k.configurationId}`;

export interface RunSetOptions {
  run: Pick<EvaluationRun, "prompts" | "configurations">;
  cells: readonly CellKey[];
  clientFor: (ref: ConnectionRef) => AzureOpenAI;
  concurrency: number;
  signal: AbortSignal;
  onCell: (cell: Cell) => void;
  onLive?: (key: CellKey, live: LiveRun) => void;
  onPause?: (ms: number) => void;
  pollMs?: number;
}

/** The delay before a rate-limited call is sent again, or null when `err` is no rate limit. */
export function rateLimitDelay(err: unknown, attempt: number): number | null {
  return isRateLimited(err) ? backoffMs(attempt, err) : null;
}

export function outputsFromPrompt(prompt: Prompt) {
  return async (calls: FunctionCallRequest[]): Promise<Record<string, string> | null> => {
    const outputs: Record<string, string> = {};
    for (const c of calls) {
      const output = prompt.functionOutputs?.[c.name];
      if (output === undefined) return null;
      outputs[c.id] = output;
    }
    return outputs;
  };
}

export function verdictOf(checks: readonly CheckResult[]): "passed" | "failed" {
  return checks.every((c) => c.pass) ? "passed" : "failed";
}

function emptyCell(key: CellKey): Cell {
  return {
    ...key,
    verdict: "error",
    threadId: null,
    runId: null,
    runStatus: null,
    text: "",
    usage: null,
    ttftMs: null,
    totalMs: null,
    toolCalls: [],
    checks: [],
    error: null,
  };
}

export async function runSet(options: RunSetOptions): Promise<Cell[]> {
  const grader = createGrader({
    clientFor: options.clientFor,
    signal: options.signal,
    pollMs: options.pollMs,
  });
  const prompts = new Map(options.run.prompts.map((p) => [p.id, p]));
  const configs = new Map<string, Configuration>(options.run.configurations.map((c) => [c.id, c]));
  const cells: Cell[] = [];
  try {
    await runPool(
      options.cells,
      async (key, ctx) => {
        const prompt = prompts.get(key.promptId);
        const configuration = configs.get(key.configurationId);
        if (!prompt || !configuration) throw new Error("unknown prompt or configuration");
        const result = await runPrompt({
          client: options.clientFor({ name: configuration.connection, apiVersion: configuration.apiVersion }),
          configuration,
          prompt,
          signal: ctx.signal,
          call: ctx.call,
          onUpdate: options.onLive ? (live) => options.onLive!(key, live) : undefined,
          answerFunctions: outputsFromPrompt(prompt),
          pollMs: options.pollMs,
        });
        const outcome: RunOutcome = result;
        const checks = prompt.checks.length
          ? await evaluateChecks(prompt.checks, outcome, (check, o) => grader.grade(check, o, prompt.text))
          : [
              {
                label: "finishes completed",
                type: "status",
                pass: result.status === "completed",
                reason: `the run finished ${result.status ?? "without a run"}`,
              },
            ];
        const cell: Cell = {
          ...key,
          verdict: verdictOf(checks),
          threadId: result.threadId,
          runId: result.runId,
          runStatus: result.status,
          text: result.text,
          usage: result.usage,
          ttftMs: result.ttftMs,
          totalMs: result.totalMs,
          toolCalls: result.toolCalls.slice(0, 200),
          checks,
          error: null,
        };
        return cell;
      },
      {
        concurrency: options.concurrency,
        signal: options.signal,
        rateLimitDelay,
        onPause: options.onPause,
        onSettled: (index, settled) => {
          const key = options.cells[index]!;
          const cell: Cell = settled.ok
            ? (settled.value as Cell)
            : settled.cancelled
              ? { ...emptyCell(key), verdict: "cancelled", error: "Cancelled before it finished." }
              : {
                  ...emptyCell(key),
                  error: settled.error instanceof Error ? settled.error.message : String(settled.error),
                };
          cells.push(cell);
          options.onCell(cell);
        },
      },
    );
  } finally {
    await grader.dispose();
  }
  return cells;
}
