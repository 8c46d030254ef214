/**
 * The engine's model interface: what a run asks of "the model", and what the model answers.
 *
 * The engine owns the protocol (run state machine, run steps, messages, usage, streaming events,
 * token limits); a model only decides what happens next. The scripted model (./scripted) is the
 * default; the chat-completions driver (./chat-completions) puts a real endpoint behind the same
 * interface.
 */
import type { CodeExecution } from "../sandbox/execute";
import type { SandboxStatus } from "../sandbox/types";

import type { Generation } from "../../protocol/api-versions";

export type { Generation };

/** A tool as the assistant or run carries it on the wire (v2 shapes; v1 `retrieval` is not offered). */
export type ToolDefinition =
  | { type: "code_interpreter" }
  | { type: "file_search"; file_search?: { max_num_results?: number; ranking_options?: unknown } }
  | {
      type: "function";
      function: {
        name: string;
        description?: string;
        parameters?: Record<string, unknown>;
        strict?: boolean | null;
      };
    };

export type ToolChoice =
  | "auto"
  | "none"
  | "required"
  | { type: "function"; function: { name: string } }
  | { type: "code_interpreter" }
  | { type: "file_search" };

export type ResponseFormat =
  | "auto"
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean | null };
    };

/** One message of the thread, as the model sees it (oldest first, after truncation). */
export interface ModelMessage {
  id: string;
  role: "user" | "assistant";
  /** The text parts of the message joined with "\n\n". */
  text: string;
  /** File ids of image_file parts. */
  imageFileIds: string[];
  /** The image parts (image_file and image_url) in their order in the message. */
  images: (
    | { type: "image_file"; file_id: string; detail?: string }
    | { type: "image_url"; url: string; detail?: string }
  )[];
  /** The run that wrote this message (assistant messages), else null. */
  runId: string | null;
  attachments: { file_id: string; tools: { type: "code_interpreter" | "file_search" }[] }[];
  created_at: number;
}

export interface FileSearchHit {
  file_id: string;
  file_name: string;
  /** Relevance in [0, 1]. */
  score: number;
  /** The matched chunk's text. */
  text: string;
}

export interface ModelFile {
  file_id: string;
  filename: string;
  bytes: number;
}

export interface ModelRunContext {
  generation: Generation;
  runId: string;
  threadId: string;
  assistantId: string;
  /** The model / deployment name the run uses. */
  model: string;
  /** The run's instructions, with additional_instructions appended. */
  instructions: string;
  tools: ToolDefinition[];
  toolChoice: ToolChoice;
  responseFormat: ResponseFormat;
  temperature: number | null;
  topP: number | null;
  maxCompletionTokens: number | null;
  maxPromptTokens: number | null;
  parallelToolCalls: boolean;
  /** The conversation, oldest first, already cut by truncation_strategy / max_prompt_tokens. */
  messages: ModelMessage[];
  /**
   * Function calls made earlier in this same run, with the outputs submitted for them
   * (submit_tool_outputs). Empty on the run's first turn.
   */
  priorFunctionCalls: { id: string; name: string; arguments: string; output: string }[];
  /** Files available to code interpreter (assistant + thread tool_resources + message attachments). */
  codeInterpreterFiles: ModelFile[];
  /** Lexical search over the file_search vector stores of the assistant and the thread (and attachments). */
  searchFiles(query: string, maxResults: number): Promise<FileSearchHit[]>;
  /** Reads a file's bytes as UTF-8 text (for code-interpreter inputs such as CSV). */
  readFileText(fileId: string, maxBytes?: number): Promise<string>;
  /** Reads a whole file (images for the model); null when it is missing or larger than `maxBytes`. */
  readFile(fileId: string, maxBytes: number): Promise<{ filename: string; bytes: Uint8Array } | null>;
  /** Token usage this run's steps have recorded so far (earlier turns of the same run). */
  usageSoFar: { prompt_tokens: number; completion_tokens: number };
  /** What runs code-interpreter code on this engine (`available: false` when none does). */
  codeSandbox: SandboxStatus;
  /**
   * Runs code in the thread's sandbox session (state kept between calls and runs of the thread),
   * with `codeInterpreterFiles` at /mnt/data; images and written files become engine files.
   * Never throws for what the code does; only call it when `codeSandbox.available`.
   */
  executeCode(code: string): Promise<CodeExecution>;
  /** Stores a generated file (purpose `assistants_output`) and returns its id. */
  writeFile(filename: string, data: Uint8Array): Promise<{ id: string; filename: string }>;
  /** Aborted when the run is cancelled or expires; a model stops promptly when it fires. */
  signal: AbortSignal;
}

export type PlannedToolCall =
  | {
      type: "code_interpreter";
      input: string;
      outputs: ({ type: "logs"; logs: string } | { type: "image"; file_id: string })[];
    }
  | { type: "file_search"; results: FileSearchHit[] }
  | { type: "function"; name: string; arguments: string };

export type PlannedAnnotation =
  | {
      type: "file_citation";
      /** The marker in the text, e.g. "【4:0†source】". */
      text: string;
      start_index: number;
      end_index: number;
      file_id: string;
      quote?: string;
    }
  | { type: "file_path"; text: string; start_index: number; end_index: number; file_id: string };

/**
 * What the model does next, in order. The engine turns these into run steps, messages and
 * streaming events:
 * - `tool_calls`: one `tool_calls` run step. If any call is a function, the run goes to
 *   `requires_action` and the model's iteration ends; after the outputs are submitted the engine
 *   calls `run` again with `priorFunctionCalls` filled.
 * - `message.start` … `message.end`: one `message_creation` step with its assistant message.
 *   `message.text` appends to the current text part (one `thread.message.delta` each);
 *   `message.image` adds an `image_file` part (text after it starts a new text part);
 *   `message.annotation` annotates the current text part; its indexes are into that part's full
 *   value and it is emitted after the text it covers.
 * - `fail` / `incomplete` / `expire`: end the run in that state (`last_error`, `incomplete_details`).
 * - `usage`: the token counts a real model reported for the call just made. The engine records them
 *   on the open message's step, else on the next step (emit it before that call's `tool_calls`), and
 *   stops estimating usage for the rest of the turn (steps without a report count 0). A report of 0 + 0 only marks its step as costing nothing.
 * Token limits (max_completion_tokens) are enforced by the engine by estimate, unless the model says
 * it enforces them itself (`Model.enforcesCompletionLimit`).
 */
export type ModelEvent =
  | { type: "tool_calls"; calls: PlannedToolCall[] }
  | { type: "message.start" }
  | { type: "message.text"; value: string }
  | { type: "message.image"; file_id: string }
  | { type: "message.annotation"; annotation: PlannedAnnotation }
  | { type: "message.end" }
  | { type: "fail"; code: "server_error" | "rate_limit_exceeded" | "invalid_prompt"; message: string }
  | { type: "incomplete"; reason: "max_completion_tokens" | "max_prompt_tokens" }
  | { type: "expire" }
  | { type: "usage"; prompt_tokens: number; completion_tokens: number };

export interface RateLimitRefusal {
  retryAfterSeconds: number;
  message: string;
}

export interface Model {
  /** Short id, e.g. "scripted". */
  readonly id: string;
  /** What the header shows, e.g. "scripted model". */
  readonly label: string;
  /**
   * Asked before a run is created (create run, create thread and run). A refusal makes the engine
   * answer HTTP 429 with `retry-after` and create nothing.
   */
  admit?(input: { lastUserText: string }): RateLimitRefusal | null;
  /**
   * True when the model passes max_completion_tokens to a real model and ends the run `incomplete`
   * itself: the engine then does not cut text by its characters/4 estimate.
   */
  readonly enforcesCompletionLimit?: boolean;
  run(ctx: ModelRunContext): AsyncIterable<ModelEvent>;
}
