/** Records → wire objects, per API generation (v1 = 2024-02-15-preview shapes). */
import type { Generation } from "./model/types";
import type {
  AssistantRec,
  FileBatchRec,
  FileCounts,
  FileRec,
  MessageRec,
  RunRec,
  StepRec,
  ThreadRec,
  ToolResources,
  VectorStoreFileRec,
  VectorStoreRec,
} from "./records";

function toolResources(tr: ToolResources) {
  return {
    code_interpreter: { file_ids: tr.code_interpreter?.file_ids ?? [] },
    file_search: { vector_store_ids: tr.file_search?.vector_store_ids ?? [] },
  };
}

/** v1 calls file search `retrieval`, with no options (./retrieval.ts). */
function v1Tools<T extends { type: string }>(tools: T[]): (T | { type: "retrieval" })[] {
  return tools.map((t) => (t.type === "file_search" ? { type: "retrieval" as const } : t));
}

/** A v1 retrieval call is `{id, type: "retrieval", retrieval: {}}`: v1 shows no results. */
function v1StepDetails(details: StepRec["step_details"]) {
  if (details.type !== "tool_calls") return details;
  return {
    type: "tool_calls" as const,
    tool_calls: details.tool_calls.map((tc) =>
      tc.type === "file_search" ? { id: tc.id, type: "retrieval" as const, retrieval: {} } : tc,
    ),
  };
}

export function assistant(a: AssistantRec, g: Generation) {
  const base = {
    id: a.id,
    object: a.object,
    created_at: a.created_at,
    name: a.name,
    description: a.description,
    model: a.model,
    instructions: a.instructions,
  };
  if (g === "v1")
    return {
      ...base,
      tools: v1Tools(a.tools),
      file_ids: a.tool_resources.code_interpreter?.file_ids ?? [],
      metadata: a.metadata,
    };
  return {
    ...base,
    tools: a.tools,
    tool_resources: toolResources(a.tool_resources),
    metadata: a.metadata,
    temperature: a.temperature,
    top_p: a.top_p,
    response_format: a.response_format ?? "auto",
  };
}

export function thread(t: ThreadRec, g: Generation) {
  const base = { id: t.id, object: t.object, created_at: t.created_at };
  if (g === "v1") return { ...base, metadata: t.metadata };
  return { ...base, tool_resources: toolResources(t.tool_resources), metadata: t.metadata };
}

export function message(m: MessageRec, g: Generation) {
  const base = { id: m.id, object: m.object, created_at: m.created_at, thread_id: m.thread_id };
  if (g === "v1")
    return {
      ...base,
      role: m.role,
      content: m.content,
      assistant_id: m.assistant_id,
      run_id: m.run_id,
      file_ids: m.attachments.map((a) => a.file_id),
      metadata: m.metadata,
    };
  return {
    ...base,
    status: m.status,
    incomplete_details: m.incomplete_details,
    completed_at: m.completed_at,
    incomplete_at: m.incomplete_at,
    role: m.role,
    content: m.content,
    assistant_id: m.assistant_id,
    run_id: m.run_id,
    attachments: m.attachments,
    metadata: m.metadata,
  };
}

export function run(r: RunRec, g: Generation) {
  const base = {
    id: r.id,
    object: r.object,
    created_at: r.created_at,
    thread_id: r.thread_id,
    assistant_id: r.assistant_id,
    status: r.status,
    required_action: r.required_action,
    last_error: r.last_error,
    expires_at: r.expires_at,
    started_at: r.started_at,
    cancelled_at: r.cancelled_at,
    failed_at: r.failed_at,
    completed_at: r.completed_at,
    model: r.model,
    instructions: r.instructions,
  };
  if (g === "v1")
    return { ...base, tools: v1Tools(r.tools), file_ids: r._fileIds, metadata: r.metadata, usage: r.usage };
  return {
    ...base,
    incomplete_details: r.incomplete_details,
    tools: r.tools,
    metadata: r.metadata,
    usage: r.usage,
    temperature: r.temperature,
    top_p: r.top_p,
    max_prompt_tokens: r.max_prompt_tokens,
    max_completion_tokens: r.max_completion_tokens,
    truncation_strategy: r.truncation_strategy,
    tool_choice: r.tool_choice,
    response_format: r.response_format,
    parallel_tool_calls: r.parallel_tool_calls,
  };
}

/** Without `content` on file_search results, unless asked for (include[] on the steps endpoints). */
function stepDetails(details: StepRec["step_details"], fileSearchContent: boolean): StepRec["step_details"] {
  if (fileSearchContent || details.type !== "tool_calls") return details;
  return {
    type: "tool_calls",
    tool_calls: details.tool_calls.map((tc) =>
      tc.type === "file_search" && tc.file_search.results
        ? {
            ...tc,
            file_search: {
              ...tc.file_search,
              results: tc.file_search.results.map((r) => ({
                file_id: r.file_id,
                file_name: r.file_name,
                score: r.score,
              })),
            },
          }
        : tc,
    ),
  };
}

export function step(s: StepRec, g: Generation, opts: { fileSearchContent?: boolean } = {}) {
  const base = {
    id: s.id,
    object: s.object,
    created_at: s.created_at,
    assistant_id: s.assistant_id,
    thread_id: s.thread_id,
    run_id: s.run_id,
    type: s.type,
    status: s.status,
    step_details: stepDetails(s.step_details, opts.fileSearchContent ?? false),
    last_error: s.last_error,
    expired_at: s.expired_at,
    cancelled_at: s.cancelled_at,
    failed_at: s.failed_at,
    completed_at: s.completed_at,
    metadata: s.metadata,
  };
  return g === "v1" ? { ...base, step_details: v1StepDetails(s.step_details) } : { ...base, usage: s.usage };
}

export function file(f: FileRec) {
  return {
    id: f.id,
    object: f.object,
    bytes: f.bytes,
    created_at: f.created_at,
    filename: f.filename,
    purpose: f.purpose,
    status: f.status,
  };
}

export function vectorStore(v: VectorStoreRec, counts: FileCounts, usageBytes: number) {
  const expiresAt = v.expires_after ? v.last_active_at + v.expires_after.days * 86_400 : null;
  const expired = expiresAt !== null && Date.now() / 1000 > expiresAt;
  return {
    id: v.id,
    object: v.object,
    created_at: v.created_at,
    // Azure's vectorStoreObject requires a string name.
    name: v.name ?? "",
    usage_bytes: usageBytes,
    file_counts: counts,
    status: expired ? "expired" : counts.in_progress > 0 ? "in_progress" : "completed",
    ...(v.expires_after ? { expires_after: v.expires_after } : {}),
    expires_at: expiresAt,
    last_active_at: v.last_active_at,
    metadata: v.metadata,
  };
}

export function vectorStoreFile(f: VectorStoreFileRec) {
  return {
    id: f.id,
    object: f.object,
    usage_bytes: f.usage_bytes,
    created_at: f.created_at,
    vector_store_id: f.vector_store_id,
    status: f.status,
    last_error: f.last_error,
    chunking_strategy: f.chunking_strategy,
  };
}

export function fileBatch(b: FileBatchRec, counts: FileCounts) {
  const status =
    b._cancelled && counts.in_progress === 0
      ? "cancelled"
      : counts.in_progress > 0
        ? "in_progress"
        : counts.total > 0 && counts.failed === counts.total
          ? "failed"
          : "completed";
  return {
    id: b.id,
    object: b.object,
    created_at: b.created_at,
    vector_store_id: b.vector_store_id,
    status,
    file_counts: counts,
  };
}

export function countFiles(files: { status: VectorStoreFileRec["status"] }[]): FileCounts {
  const c: FileCounts = { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: files.length };
  for (const f of files) c[f.status]++;
  return c;
}
