/**
 * Importing a backup with its ids: wire objects (as any Assistants endpoint returned them, v2
 * shapes) become records again, file bytes move from a staging path into the data directory, and
 * vector-store files are ingested again from those bytes. Nothing is written until every id has
 * been checked: ids that already exist are refused (409, naming them) or, on request, skipped with
 * everything that hangs off them. Runs that were not finished when the backup was taken come back
 * `failed`, as after an engine restart.
 */
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { TERMINAL_RUN_STATUSES, defaultChunking, type Core } from "./core";
import { EngineError } from "./errors";
import { nowSeconds } from "./ids";
import type {
  AssistantRec,
  ChunkingStrategy,
  FileRec,
  Kind,
  MessageRec,
  Metadata,
  RunRec,
  StepRec,
  ThreadRec,
  ToolResources,
  VectorStoreFileRec,
  VectorStoreRec,
} from "./records";
import { keyOf } from "./store";

/** One import: wire objects; `source` is where the file's bytes wait on disk (null: not in the backup). */
export interface BackupImport {
  assistants: unknown[];
  files: { object: unknown; source: string | null }[];
  vectorStores: { vector_store: unknown; files: unknown[] }[];
  threads: { thread: unknown; messages: unknown[]; runs: { run: unknown; steps: unknown[] }[] }[];
}

export interface ImportOptions {
  /** `refuse` (default): any existing id stops the import, nothing written. `skip`: existing objects stay as they are. */
  onConflict?: "refuse" | "skip";
  /** Only report collisions. */
  dryRun?: boolean;
}

export interface ImportReport {
  created: {
    assistants: number;
    files: number;
    vectorStores: number;
    threads: number;
    messages: number;
    runs: number;
    steps: number;
  };
  skipped: string[];
  collisions: string[];
  warnings: string[];
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

function invalid(message: string): EngineError {
  return new EngineError(400, { code: "invalid_backup", message, type: "invalid_request_error" });
}

type O = Record<string, unknown>;
const obj = (v: unknown): O => (v && typeof v === "object" && !Array.isArray(v) ? (v as O) : {});
const str = (v: unknown, d: string): string => (typeof v === "string" ? v : d);
const strOrNull = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown, d: number): number => (typeof v === "number" && Number.isFinite(v) ? v : d);
const numOrNull = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === "string");

function idOf(v: unknown, what: string): string {
  const id = obj(v).id;
  if (typeof id !== "string" || !SAFE_ID.test(id))
    throw invalid(`The backup has ${what} without a valid id.`);
  return id;
}

function metadata(v: unknown): Metadata {
  const out: Metadata = {};
  for (const [k, val] of Object.entries(obj(v))) if (typeof val === "string") out[k] = val;
  return out;
}

function toolResources(v: unknown, legacyFileIds?: unknown): ToolResources {
  const tr = obj(v);
  const out: ToolResources = {};
  const ci = tr.code_interpreter ? strings(obj(tr.code_interpreter).file_ids) : strings(legacyFileIds);
  if (tr.code_interpreter || ci.length) out.code_interpreter = { file_ids: ci };
  if (tr.file_search) out.file_search = { vector_store_ids: strings(obj(tr.file_search).vector_store_ids) };
  return out;
}

function usage(v: unknown): RunRec["usage"] {
  const u = obj(v);
  if (typeof u.total_tokens !== "number") return null;
  return {
    prompt_tokens: num(u.prompt_tokens, 0),
    completion_tokens: num(u.completion_tokens, 0),
    total_tokens: num(u.total_tokens, 0),
  };
}

function chunking(v: unknown): ChunkingStrategy {
  const c = obj(v);
  const s = obj(c.static);
  if (
    c.type === "static" &&
    typeof s.max_chunk_size_tokens === "number" &&
    typeof s.chunk_overlap_tokens === "number"
  )
    return {
      type: "static",
      static: {
        max_chunk_size_tokens: s.max_chunk_size_tokens,
        chunk_overlap_tokens: s.chunk_overlap_tokens,
      },
    };
  return defaultChunking();
}

/** Records in import order (oldest first within a kind), before sequence numbers are given. */
interface Plan {
  assistants: AssistantRec[];
  files: { rec: FileRec; source: string | null }[];
  vectorStores: VectorStoreRec[];
  vectorStoreFiles: VectorStoreFileRec[];
  threads: { thread: ThreadRec; messages: MessageRec[]; runs: RunRec[]; steps: StepRec[] }[];
}

function build(input: BackupImport): Plan {
  const seq = 0; // replaced when written
  const now = nowSeconds();
  const assistants = input.assistants.map((raw): AssistantRec => {
    const a = obj(raw);
    return {
      id: idOf(raw, "an assistant"),
      object: "assistant",
      created_at: num(a.created_at, now),
      _seq: seq,
      name: strOrNull(a.name),
      description: strOrNull(a.description),
      model: str(a.model, "gpt-4o"),
      instructions: strOrNull(a.instructions),
      tools: arr(a.tools) as AssistantRec["tools"],
      tool_resources: toolResources(a.tool_resources, a.file_ids),
      metadata: metadata(a.metadata),
      temperature: numOrNull(a.temperature),
      top_p: numOrNull(a.top_p),
      response_format:
        a.response_format === undefined || a.response_format === "auto"
          ? null
          : (a.response_format as AssistantRec["response_format"]),
      _fileAddedAt: {},
    };
  });
  const files = input.files.map(({ object, source }) => {
    const f = obj(object);
    const rec: FileRec = {
      id: idOf(object, "a file"),
      object: "file",
      created_at: num(f.created_at, now),
      _seq: seq,
      bytes: num(f.bytes, 0),
      filename: str(f.filename, "file"),
      purpose: str(f.purpose, "assistants"),
      status: source ? "processed" : "error",
    };
    return { rec, source };
  });
  const vectorStores: VectorStoreRec[] = [];
  const vectorStoreFiles: VectorStoreFileRec[] = [];
  for (const { vector_store, files: vsFiles } of input.vectorStores) {
    const v = obj(vector_store);
    const id = idOf(vector_store, "a vector store");
    const ea = obj(v.expires_after);
    vectorStores.push({
      id,
      object: "vector_store",
      created_at: num(v.created_at, now),
      _seq: seq,
      name: strOrNull(v.name),
      // Restored stores count as used now, so one about to expire does not expire on arrival.
      last_active_at: now,
      expires_after: typeof ea.days === "number" ? { anchor: "last_active_at", days: ea.days } : null,
      metadata: metadata(v.metadata),
    });
    for (const raw of vsFiles) {
      const f = obj(raw);
      vectorStoreFiles.push({
        id: idOf(raw, `a file of vector store ${id}`),
        object: "vector_store.file",
        created_at: num(f.created_at, now),
        _seq: seq,
        vector_store_id: id,
        usage_bytes: 0,
        status: "in_progress",
        last_error: null,
        chunking_strategy: chunking(f.chunking_strategy),
        _batchIds: [],
      });
    }
  }
  const threads = input.threads.map((t) => {
    const th = obj(t.thread);
    const threadId = idOf(t.thread, "a thread");
    const thread: ThreadRec = {
      id: threadId,
      object: "thread",
      created_at: num(th.created_at, now),
      _seq: seq,
      metadata: metadata(th.metadata),
      tool_resources: toolResources(th.tool_resources),
    };
    const messages = t.messages.map((raw): MessageRec => {
      const m = obj(raw);
      const attachments = m.attachments
        ? (arr(m.attachments) as MessageRec["attachments"])
        : strings(m.file_ids).map((file_id) => ({ file_id, tools: [{ type: "code_interpreter" as const }] }));
      return {
        id: idOf(raw, "a message"),
        object: "thread.message",
        created_at: num(m.created_at, now),
        _seq: seq,
        thread_id: threadId,
        status:
          m.status === "in_progress" ? "incomplete" : m.status === "incomplete" ? "incomplete" : "completed",
        incomplete_details:
          m.status === "in_progress"
            ? { reason: "run_failed" }
            : ((m.incomplete_details as MessageRec["incomplete_details"]) ?? null),
        completed_at: numOrNull(m.completed_at),
        incomplete_at: numOrNull(m.incomplete_at),
        role: m.role === "assistant" ? "assistant" : "user",
        content: arr(m.content) as MessageRec["content"],
        assistant_id: strOrNull(m.assistant_id),
        run_id: strOrNull(m.run_id),
        attachments,
        metadata: metadata(m.metadata),
      };
    });
    const runs: RunRec[] = [];
    const steps: StepRec[] = [];
    for (const { run: rawRun, steps: rawSteps } of t.runs) {
      const r = obj(rawRun);
      const runId = idOf(rawRun, "a run");
      const status = str(r.status, "failed") as RunRec["status"];
      const finished = TERMINAL_RUN_STATUSES.has(status);
      const ts = obj(r.truncation_strategy);
      runs.push({
        id: runId,
        object: "thread.run",
        created_at: num(r.created_at, now),
        _seq: seq,
        thread_id: threadId,
        assistant_id: str(r.assistant_id, ""),
        status: finished ? status : "failed",
        required_action: null,
        last_error: finished
          ? ((r.last_error as RunRec["last_error"]) ?? null)
          : { code: "server_error", message: "The run was still active when the backup was taken." },
        expires_at: null,
        started_at: numOrNull(r.started_at),
        cancelled_at: numOrNull(r.cancelled_at),
        failed_at: finished ? numOrNull(r.failed_at) : now,
        completed_at: numOrNull(r.completed_at),
        incomplete_details: (r.incomplete_details as RunRec["incomplete_details"]) ?? null,
        model: str(r.model, "gpt-4o"),
        instructions: str(r.instructions, ""),
        tools: arr(r.tools) as RunRec["tools"],
        metadata: metadata(r.metadata),
        usage: usage(r.usage),
        temperature: numOrNull(r.temperature),
        top_p: numOrNull(r.top_p),
        max_prompt_tokens: numOrNull(r.max_prompt_tokens),
        max_completion_tokens: numOrNull(r.max_completion_tokens),
        truncation_strategy: {
          type: ts.type === "last_messages" ? "last_messages" : "auto",
          last_messages: numOrNull(ts.last_messages),
        },
        tool_choice: (r.tool_choice ?? "auto") as RunRec["tool_choice"],
        response_format: (r.response_format ?? "auto") as RunRec["response_format"],
        parallel_tool_calls: r.parallel_tool_calls !== false,
        _fileIds: strings(r.file_ids),
        _expiresAtMs: 0,
        _generation: "v2",
        _priorFunctionCalls: [],
        _pendingStepId: null,
        _completionChars: 0,
      });
      for (const raw of rawSteps) {
        const s = obj(raw);
        const stepStatus = str(s.status, "completed") as StepRec["status"];
        const open = stepStatus === "in_progress";
        steps.push({
          id: idOf(raw, "a run step"),
          object: "thread.run.step",
          created_at: num(s.created_at, now),
          _seq: seq,
          assistant_id: str(s.assistant_id, ""),
          thread_id: threadId,
          run_id: runId,
          type: s.type === "tool_calls" ? "tool_calls" : "message_creation",
          status: open && !finished ? "failed" : stepStatus,
          step_details: s.step_details as StepRec["step_details"],
          last_error: (s.last_error as StepRec["last_error"]) ?? null,
          expired_at: numOrNull(s.expired_at),
          cancelled_at: numOrNull(s.cancelled_at),
          failed_at: open && !finished ? now : numOrNull(s.failed_at),
          completed_at: numOrNull(s.completed_at),
          metadata: metadata(s.metadata),
          usage: usage(s.usage),
        });
      }
    }
    return { thread, messages, runs, steps };
  });
  return { assistants, files, vectorStores, vectorStoreFiles, threads };
}

function emptyReport(): ImportReport {
  return {
    created: { assistants: 0, files: 0, vectorStores: 0, threads: 0, messages: 0, runs: 0, steps: 0 },
    skipped: [],
    collisions: [],
    warnings: [],
  };
}

async function moveInto(source: string, target: string): Promise<void> {
  try {
    await fs.promises.rename(source, target);
  } catch {
    // Another filesystem: copy as a stream, never whole in memory.
    await pipeline(fs.createReadStream(source), fs.createWriteStream(target));
    await fs.promises.rm(source, { force: true });
  }
}

/** Imports a backup into the engine behind `core` (see the module comment). */
export async function importBackup(
  core: Core,
  input: BackupImport,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const store = core.store;
  const plan = build(input);
  const report = emptyReport();
  const exists = (kind: Kind, id: string) => store.get(kind, id) !== undefined;

  // Collisions, by top-level object (and any child whose id is taken elsewhere).
  const skip = new Set<string>();
  const collide = (kind: Kind, id: string) => {
    if (exists(kind, id)) {
      report.collisions.push(id);
      skip.add(id);
      return true;
    }
    return false;
  };
  for (const a of plan.assistants) collide("assistant", a.id);
  for (const f of plan.files) collide("file", f.rec.id);
  for (const v of plan.vectorStores) collide("vector_store", v.id);
  for (const t of plan.threads) {
    if (collide("thread", t.thread.id)) continue;
    for (const m of t.messages) collide("message", m.id);
    for (const r of t.runs) collide("run", r.id);
    for (const s of t.steps) collide("step", s.id);
  }
  if (options.dryRun) return report;
  if (report.collisions.length && (options.onConflict ?? "refuse") === "refuse") {
    const shown = report.collisions.slice(0, 5).join(", ");
    throw new EngineError(409, {
      code: "backup_conflict",
      message: `${report.collisions.length} object(s) of the backup already exist in the local engine (${shown}${report.collisions.length > 5 ? ", …" : ""}). Delete them, or restore again skipping what exists.`,
      type: "invalid_request_error",
    });
  }

  // Oldest first, so list order (by sequence number) follows creation.
  const put = <K extends Kind>(kind: K, rec: Parameters<typeof store.put<K>>[1]) => {
    (rec as { _seq: number })._seq = store.nextSeq();
    store.put(kind, rec);
  };
  const byAge = <T extends { created_at: number }>(list: T[]) =>
    list
      .map((x, i) => [x, i] as const)
      .sort((a, b) => a[0].created_at - b[0].created_at || a[1] - b[1])
      .map(([x]) => x);

  for (const { rec, source } of byAge(plan.files.map((f) => ({ ...f, created_at: f.rec.created_at })))) {
    if (skip.has(rec.id)) {
      report.skipped.push(rec.id);
      continue;
    }
    if (source) {
      const target = path.join(store.blobDir, rec.id);
      await moveInto(source, target);
      rec.bytes = (await fs.promises.stat(target)).size;
    } else
      report.warnings.push(
        `File ${rec.id} (${rec.filename}) had no content in the backup: restored with status "error".`,
      );
    put("file", rec);
    report.created.files++;
  }
  for (const v of byAge(plan.vectorStores)) {
    if (skip.has(v.id)) {
      report.skipped.push(v.id);
      continue;
    }
    put("vector_store", v);
    report.created.vectorStores++;
  }
  const ingest: VectorStoreFileRec[] = [];
  for (const f of byAge(plan.vectorStoreFiles)) {
    if (skip.has(f.vector_store_id)) continue;
    if (!store.get("file", f.id)) {
      report.warnings.push(
        `File ${f.id} of vector store ${f.vector_store_id} is not in the backup: left out of the store.`,
      );
      continue;
    }
    if (store.get("vector_store_file", keyOf("vector_store_file", f))) continue;
    put("vector_store_file", f);
    ingest.push(f);
  }
  for (const a of byAge(plan.assistants)) {
    if (skip.has(a.id)) {
      report.skipped.push(a.id);
      continue;
    }
    put("assistant", a);
    report.created.assistants++;
  }
  for (const t of byAge(plan.threads.map((x) => ({ ...x, created_at: x.thread.created_at })))) {
    if (skip.has(t.thread.id)) {
      report.skipped.push(t.thread.id);
      continue;
    }
    put("thread", t.thread);
    report.created.threads++;
    for (const m of byAge(t.messages)) {
      if (skip.has(m.id)) {
        report.skipped.push(m.id);
        continue;
      }
      put("message", m);
      report.created.messages++;
    }
    for (const r of byAge(t.runs)) {
      if (skip.has(r.id)) {
        report.skipped.push(r.id);
        continue;
      }
      put("run", r);
      report.created.runs++;
    }
    for (const s of byAge(t.steps)) {
      if (skip.has(s.id)) {
        report.skipped.push(s.id);
        continue;
      }
      put("step", s);
      report.created.steps++;
    }
  }
  for (const f of ingest) core.ingestor.enqueue(f);
  return report;
}
