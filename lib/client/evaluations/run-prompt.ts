/**
 * One prompt against one configuration, through the playground's own SDK client: a new thread with
 * the prompt, a streamed run created with the configuration's overrides as run parameters (model,
 * instructions, tools, temperature, top_p and response_format are all run-create parameters), and,
 * at its end, the run, its steps and its messages read back — what the checks judge.
 *
 * Every call goes through `call` (lib/evaluations/pool.ts), so a whole batch of prompts waits out a
 * 429 together. Calls that start a run are never retried by the SDK (RUN_START_OPTIONS).
 */
import type { AzureOpenAI } from "openai";
import { APIError, APIUserAbortError } from "openai";
import type { AssistantStreamEvent } from "openai/resources/beta/assistants";
import type { Message } from "openai/resources/beta/threads/messages";
import type { Run, RunCreateParamsStreaming } from "openai/resources/beta/threads/runs/runs";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import type { Stream } from "openai/streaming";
import type { Citation, RunOutcome } from "@/lib/evaluations/checks";
import {
  EVALUATION_LIMITS,
  type Configuration,
  type Prompt,
  type ToolCallSummary,
} from "@/lib/evaluations/model";
import { PoolCancelled } from "@/lib/evaluations/pool";
import { RUN_START_OPTIONS } from "../sdk";

const TERMINAL = new Set(["completed", "failed", "cancelled", "expired", "incomplete"]);

export interface FunctionCallRequest {
  id: string;
  name: string;
  arguments: string;
}

/** What a column or a cell shows while the run streams. */
export interface LiveRun {
  threadId: string | null;
  runId: string | null;
  status: string;
  text: string;
  /** Image files the answer has shown so far. */
  imageFileIds: string[];
  toolCalls: ToolCallSummary[];
  stepCount: number;
  ttftMs: number | null;
  /** Function calls waiting for outputs (status requires_action). */
  pendingCalls: FunctionCallRequest[];
}

export interface PromptRunResult extends RunOutcome {
  threadId: string | null;
  runId: string | null;
  messages: Message[];
  stepCount: number;
}

export interface RunPromptOptions {
  client: AzureOpenAI;
  configuration: Configuration;
  prompt: Pick<Prompt, "text" | "attachments">;
  signal: AbortSignal;
  call?: <T>(fn: () => Promise<T>) => Promise<T>;
  onUpdate?: (live: LiveRun) => void;
  /**
   * Outputs for the run's function calls by call id, or null to stop there: the run is cancelled
   * and its outcome keeps the status `requires_action`. Time spent here is not counted.
   */
  answerFunctions?: (calls: FunctionCallRequest[]) => Promise<Record<string, string> | null>;
  now?: () => number;
  /** Polling interval when a stream ends before the run does. */
  pollMs?: number;
}

/** The run-create parameters a configuration adds to `assistant_id`. */
export function runParameters(configuration: Configuration): RunCreateParamsStreaming {
  const o = configuration.overrides ?? {};
  const params: RunCreateParamsStreaming = { assistant_id: configuration.assistantId, stream: true };
  if (o.model !== undefined) params.model = o.model;
  if (o.instructions !== undefined) params.instructions = o.instructions;
  if (o.temperature !== undefined) params.temperature = o.temperature;
  if (o.top_p !== undefined) params.top_p = o.top_p;
  if (o.tools !== undefined) params.tools = o.tools as RunCreateParamsStreaming["tools"];
  if (o.response_format !== undefined)
    params.response_format = o.response_format as RunCreateParamsStreaming["response_format"];
  return params;
}

export function toolCallsOf(steps: readonly RunStep[]): ToolCallSummary[] {
  const calls: ToolCallSummary[] = [];
  for (const step of steps) {
    if (step.step_details.type !== "tool_calls") continue;
    for (const call of step.step_details.tool_calls) {
      if (call.type === "function")
        calls.push({ type: "function", name: call.function.name, arguments: call.function.arguments });
      else if (call.type === "code_interpreter") calls.push({ type: "code_interpreter" });
      else if (call.type === "file_search") calls.push({ type: "file_search" });
    }
  }
  return calls;
}

/** The assistant's text (joined by blank lines) and its file citations, from the run's messages. */
export function answerOf(messages: readonly Message[]): { text: string; citations: Citation[] } {
  const parts: string[] = [];
  const citations: Citation[] = [];
  for (const m of messages) {
    if (m.role !== "assistant") continue;
    for (const part of m.content) {
      if (part.type !== "text") continue;
      parts.push(part.text.value);
      for (const a of part.text.annotations ?? [])
        if (a.type === "file_citation") citations.push({ fileId: a.file_citation.file_id, quote: null });
    }
  }
  return { text: parts.join("\n\n"), citations };
}

function clip(text: string): string {
  const max = EVALUATION_LIMITS.answerChars;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function errorMessage(err: unknown): string {
  if (err instanceof APIError) return `${err.status ?? ""} ${err.message}`.trim();
  return err instanceof Error ? err.message : String(err);
}

export async function runPrompt(options: RunPromptOptions): Promise<PromptRunResult> {
  const { client, configuration, prompt, signal } = options;
  const call = options.call ?? (<T>(fn: () => Promise<T>) => fn());
  const now = options.now ?? (() => performance.now());
  const live: LiveRun = {
    threadId: null,
    runId: null,
    status: "starting",
    text: "",
    imageFileIds: [],
    toolCalls: [],
    stepCount: 0,
    ttftMs: null,
    pendingCalls: [],
  };
  const publish = () =>
    options.onUpdate?.({ ...live, toolCalls: [...live.toolCalls], imageFileIds: [...live.imageFileIds] });
  const requestOptions = { signal };

  const thread = await call(() =>
    client.beta.threads.create(
      {
        messages: [
          {
            role: "user",
            content: prompt.text,
            ...(prompt.attachments?.length
              ? {
                  attachments: prompt.attachments.map((a) => ({
                    file_id: a.file_id,
                    tools: a.tools.map((type) => ({ type })),
                  })),
                }
              : {}),
          },
        ],
      },
      requestOptions,
    ),
  );
  live.threadId = thread.id;
  live.status = "queued";
  publish();

  const started = now();
  let excluded = 0;
  let run: Run | null = null;
  let streamError: string | null = null;

  const follow = async (stream: Stream<AssistantStreamEvent>) => {
    // Some fetch implementations keep a body flowing after the request's signal aborts: stop reading too.
    const stop = () => stream.controller.abort();
    signal.addEventListener("abort", stop, { once: true });
    try {
      await read(stream);
    } finally {
      signal.removeEventListener("abort", stop);
    }
    if (signal.aborted) throw new PoolCancelled();
  };
  const read = async (stream: Stream<AssistantStreamEvent>) => {
    for await (const event of stream) {
      if (signal.aborted) return;
      if (event.event.startsWith("thread.run.") && !event.event.startsWith("thread.run.step")) {
        run = event.data as Run;
        live.runId = run.id;
        live.status = run.status;
      } else if (event.event === "thread.message.delta") {
        live.ttftMs ??= now() - started - excluded;
        for (const part of event.data.delta.content ?? []) {
          if (part.type === "text" && part.text?.value) live.text += part.text.value;
          if (part.type === "image_file" && part.image_file?.file_id)
            live.imageFileIds.push(part.image_file.file_id);
        }
      } else if (event.event === "thread.run.step.delta") {
        live.ttftMs ??= now() - started - excluded;
      } else if (event.event === "thread.run.step.created") {
        live.stepCount++;
      } else if (event.event === "thread.run.step.completed") {
        live.toolCalls.push(...toolCallsOf([event.data]));
      } else if (event.event === "thread.message.completed") {
        if (live.text && !live.text.endsWith("\n\n")) live.text += "\n\n";
      } else if (event.event === "error") {
        streamError = event.data.message ?? "The stream reported an error.";
      }
      publish();
    }
  };

  const cancelRun = async () => {
    const id = live.runId;
    if (!id || !live.threadId) return;
    try {
      await client.beta.threads.runs.cancel(id, { thread_id: live.threadId });
    } catch {
      // Already over, or the upstream is gone: nothing more to stop.
    }
  };

  let stoppedAtFunctions = false;
  try {
    let stream = await call(() =>
      client.beta.threads.runs.create(thread.id, runParameters(configuration), {
        ...RUN_START_OPTIONS,
        ...requestOptions,
      }),
    );
    for (;;) {
      await follow(stream);
      const current = run as Run | null;
      if (!current) break;
      if (current.status !== "requires_action") break;
      const required = current.required_action?.submit_tool_outputs.tool_calls ?? [];
      const calls = required.map((c) => ({
        id: c.id,
        name: c.function.name,
        arguments: c.function.arguments,
      }));
      live.pendingCalls = calls;
      publish();
      const waitStart = now();
      const outputs = options.answerFunctions ? await options.answerFunctions(calls) : null;
      excluded += now() - waitStart;
      live.pendingCalls = [];
      if (signal.aborted) throw new PoolCancelled();
      if (!outputs) {
        stoppedAtFunctions = true;
        await cancelRun();
        break;
      }
      live.status = "in_progress";
      publish();
      const runId = current.id;
      stream = await call(() =>
        client.beta.threads.runs.submitToolOutputs(
          runId,
          {
            thread_id: thread.id,
            stream: true,
            tool_outputs: calls.map((c) => ({ tool_call_id: c.id, output: outputs[c.id] ?? "" })),
          },
          { ...RUN_START_OPTIONS, ...requestOptions },
        ),
      );
    }
  } catch (err) {
    if (signal.aborted || err instanceof APIUserAbortError || err instanceof PoolCancelled) {
      await cancelRun();
      throw new PoolCancelled();
    }
    // The run was never created: the error is the outcome.
    if (!live.runId) throw err;
    // A stream that broke after the run began: the run is followed to its end below.
    streamError = errorMessage(err);
  }

  // A stream that ended (or broke) before the run did: follow the run by reading it.
  const runId = live.runId as string | null;
  let final = run as Run | null;
  if (runId && !stoppedAtFunctions) {
    while (!final || !TERMINAL.has(final.status)) {
      if (signal.aborted) {
        await cancelRun();
        throw new PoolCancelled();
      }
      if (final?.status === "requires_action") break;
      await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
      final = await call(() =>
        client.beta.threads.runs.retrieve(runId, { thread_id: thread.id }, requestOptions),
      );
    }
  }
  const totalMs = now() - started - excluded;

  let steps: RunStep[] = [];
  let messages: Message[] = [];
  if (runId) {
    steps = (
      await call(() =>
        client.beta.threads.runs.steps.list(
          runId,
          { thread_id: thread.id, limit: 100, order: "asc" },
          requestOptions,
        ),
      )
    ).data;
    messages = (
      await call(() =>
        client.beta.threads.messages.list(
          thread.id,
          { run_id: runId, order: "asc", limit: 100 },
          requestOptions,
        ),
      )
    ).data;
  }
  const answer = answerOf(messages);
  // The names of cited files, so a check may name a file rather than its id.
  const names = new Map<string, string | null>();
  for (const c of answer.citations) {
    if (names.has(c.fileId)) continue;
    try {
      names.set(c.fileId, (await call(() => client.files.retrieve(c.fileId, requestOptions))).filename);
    } catch {
      names.set(c.fileId, null);
    }
  }
  const status = stoppedAtFunctions ? "requires_action" : (final?.status ?? null);
  const lastError = final?.last_error
    ? { code: final.last_error.code ?? null, message: final.last_error.message }
    : streamError
      ? { code: null, message: streamError }
      : null;
  return {
    threadId: thread.id,
    runId,
    status,
    lastError,
    text: clip(answer.text || live.text.trim()),
    usage: final?.usage ?? null,
    ttftMs: live.ttftMs,
    totalMs,
    toolCalls: steps.length ? toolCallsOf(steps) : live.toolCalls,
    citations: answer.citations.map((c) => ({ ...c, filename: names.get(c.fileId) ?? null })),
    messages,
    stepCount: steps.length || live.stepCount,
  };
}
