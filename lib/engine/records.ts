/** Internal records: the v2 wire shape plus the engine's own bookkeeping (fields starting with `_`). */
import type { ResponseFormat, ToolChoice, ToolDefinition } from "./model/types";

export type Metadata = Record<string, string>;

export interface ToolResources {
  code_interpreter?: { file_ids: string[] };
  file_search?: { vector_store_ids: string[] };
}

interface Base {
  id: string;
  created_at: number;
  /** Creation order; lists sort on it (created_at has one-second resolution). */
  _seq: number;
}

export interface AssistantRec extends Base {
  object: "assistant";
  name: string | null;
  description: string | null;
  model: string;
  instructions: string | null;
  tools: ToolDefinition[];
  tool_resources: ToolResources;
  metadata: Metadata;
  temperature: number | null;
  top_p: number | null;
  response_format: ResponseFormat | null;
  /** When each v1 file (= code_interpreter file) was attached. */
  _fileAddedAt: Record<string, number>;
  /** The vector store the engine made so v1 `retrieval` searches the v1 `file_ids` (./retrieval.ts). */
  _retrievalStore?: string;
}

export interface ThreadRec extends Base {
  object: "thread";
  metadata: Metadata;
  tool_resources: ToolResources;
}

export interface TextAnnotation {
  type: "file_citation" | "file_path";
  text: string;
  start_index: number;
  end_index: number;
  file_citation?: { file_id: string; quote?: string };
  file_path?: { file_id: string };
}

export type ContentPart =
  | { type: "text"; text: { value: string; annotations: TextAnnotation[] } }
  | { type: "image_file"; image_file: { file_id: string; detail?: string } }
  | { type: "image_url"; image_url: { url: string; detail?: string } };

export interface Attachment {
  file_id: string;
  tools: { type: "code_interpreter" | "file_search" }[];
}

export interface MessageRec extends Base {
  object: "thread.message";
  thread_id: string;
  status: "in_progress" | "incomplete" | "completed";
  incomplete_details: { reason: string } | null;
  completed_at: number | null;
  incomplete_at: number | null;
  role: "user" | "assistant";
  content: ContentPart[];
  assistant_id: string | null;
  run_id: string | null;
  attachments: Attachment[];
  metadata: Metadata;
}

export type RunStatus =
  | "queued"
  | "in_progress"
  | "requires_action"
  | "cancelling"
  | "cancelled"
  | "failed"
  | "completed"
  | "expired"
  | "incomplete";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface FunctionToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface RunRec extends Base {
  object: "thread.run";
  thread_id: string;
  assistant_id: string;
  status: RunStatus;
  required_action: {
    type: "submit_tool_outputs";
    submit_tool_outputs: { tool_calls: FunctionToolCall[] };
  } | null;
  last_error: { code: string; message: string } | null;
  expires_at: number | null;
  started_at: number | null;
  cancelled_at: number | null;
  failed_at: number | null;
  completed_at: number | null;
  incomplete_details: { reason: string } | null;
  model: string;
  instructions: string;
  tools: ToolDefinition[];
  metadata: Metadata;
  usage: Usage | null;
  temperature: number | null;
  top_p: number | null;
  max_prompt_tokens: number | null;
  max_completion_tokens: number | null;
  truncation_strategy: { type: "auto" | "last_messages"; last_messages: number | null };
  tool_choice: ToolChoice;
  response_format: ResponseFormat;
  parallel_tool_calls: boolean;
  /** v1 snapshot of the assistant's file_ids. */
  _fileIds: string[];
  _expiresAtMs: number;
  _generation: "v1" | "v2";
  /** Function calls answered earlier in this run (for the model's next turn). */
  _priorFunctionCalls: { id: string; name: string; arguments: string; output: string }[];
  /** The tool_calls step waiting for outputs. */
  _pendingStepId: string | null;
  _completionChars: number;
}

export type ToolCallRec =
  | {
      id: string;
      type: "code_interpreter";
      code_interpreter: {
        input: string;
        outputs: ({ type: "logs"; logs: string } | { type: "image"; image: { file_id: string } })[];
      };
    }
  | {
      id: string;
      type: "file_search";
      file_search: {
        results?: {
          file_id: string;
          file_name: string;
          score: number;
          /** The matched text, served only with include[]=…file_search.results[*].content. */
          content?: { type: "text"; text: string }[];
        }[];
      };
    }
  | { id: string; type: "function"; function: { name: string; arguments: string; output: string | null } };

export interface StepRec extends Base {
  object: "thread.run.step";
  assistant_id: string;
  thread_id: string;
  run_id: string;
  type: "message_creation" | "tool_calls";
  status: "in_progress" | "cancelled" | "failed" | "completed" | "expired";
  step_details:
    | { type: "message_creation"; message_creation: { message_id: string } }
    | { type: "tool_calls"; tool_calls: ToolCallRec[] };
  last_error: { code: string; message: string } | null;
  expired_at: number | null;
  cancelled_at: number | null;
  failed_at: number | null;
  completed_at: number | null;
  metadata: Metadata;
  usage: Usage | null;
}

export interface FileRec extends Base {
  object: "file";
  bytes: number;
  filename: string;
  purpose: string;
  status: "processed" | "error";
}

export interface ChunkingStrategy {
  type: "static";
  static: { max_chunk_size_tokens: number; chunk_overlap_tokens: number };
}

export interface FileCounts {
  in_progress: number;
  completed: number;
  failed: number;
  cancelled: number;
  total: number;
}

export interface VectorStoreRec extends Base {
  object: "vector_store";
  name: string | null;
  last_active_at: number;
  expires_after: { anchor: "last_active_at"; days: number } | null;
  metadata: Metadata;
}

export interface VectorStoreFileRec extends Base {
  object: "vector_store.file";
  vector_store_id: string;
  usage_bytes: number;
  status: "in_progress" | "completed" | "cancelled" | "failed";
  last_error: { code: string; message: string } | null;
  chunking_strategy: ChunkingStrategy;
  _batchIds: string[];
}

export interface FileBatchRec extends Base {
  object: "vector_store.files_batch";
  vector_store_id: string;
  _fileIds: string[];
  _cancelled: boolean;
}

export interface Collections {
  assistant: AssistantRec;
  thread: ThreadRec;
  message: MessageRec;
  run: RunRec;
  step: StepRec;
  file: FileRec;
  vector_store: VectorStoreRec;
  vector_store_file: VectorStoreFileRec;
  file_batch: FileBatchRec;
}

export type Kind = keyof Collections;
