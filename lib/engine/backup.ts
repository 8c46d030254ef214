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
import { TERMINAL_RUN_STATUSES, defaultChunking, parseChunking, type Core } from "./core";
import { EngineError, errors } from "./errors";
import { PURPOSES } from "./handlers/files";
import { expiresAfter } from "./handlers/vector-stores";
import { nowSeconds } from "./ids";
import { ARCHIVE_ID_PATTERN } from "../protocol/backup-archive";
import { LIMITS } from "./limits";
import type {
  AssistantRec,
  Attachment,
  ChunkingStrategy,
  ContentPart,
  FileRec,
  Kind,
  MessageRec,
  RunRec,
  StepRec,
  TextAnnotation,
  ThreadRec,
  ToolCallRec,
  ToolResources,
  VectorStoreFileRec,
  VectorStoreRec,
} from "./records";
import { keyOf } from "./store";
import * as v from "./validate";

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

function invalid(message: string, param?: string): EngineError {
  return new EngineError(400, {
    code: "invalid_backup",
    message,
    type: "invalid_request_error",
    ...(param ? { param } : {}),
  });
}

/**
 * Reads one object with the endpoints' validators; what they refuse refuses the restore, naming the
 * object (their messages name the field).
 */
function checked<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof EngineError && e.status === 400)
      throw invalid(`${what} in the backup is not valid: ${e.body.message}`, e.body.param);
    throw e;
  }
}

type O = Record<string, unknown>;
const obj = (v: unknown): O => (v && typeof v === "object" && !Array.isArray(v) ? (v as O) : {});

function idOf(v: unknown, what: string): string {
  const id = obj(v).id;
  if (typeof id !== "string" || !ARCHIVE_ID_PATTERN.test(id))
    throw invalid(`The backup has ${what} without a valid id.`);
  return id;
}

/** A timestamp (seconds) when there is one. */
function time(o: O, key: string, fallback: number): number {
  return v.optInt(o, key, 0) ?? fallback;
}
function timeOrNull(o: O, key: string): number | null {
  return v.optInt(o, key, 0) ?? null;
}

function oneOf<T extends string>(o: O, key: string, allowed: readonly T[], fallback?: T): T {
  const x = o[key];
  if ((x === undefined || x === null) && fallback !== undefined) return fallback;
  if (typeof x === "string" && (allowed as readonly string[]).includes(x)) return x as T;
  throw errors.invalid(
    `Invalid value for '${key}': ${JSON.stringify(x) ?? "nothing"}. Expected one of ${allowed.map((a) => `'${a}'`).join(", ")}.`,
    key,
  );
}

/** The wire shape `{code, message}` or null, as runs and steps report it. */
function lastError(o: O): { code: string; message: string } | null {
  const e = o.last_error;
  if (e === undefined || e === null) return null;
  const x = obj(e);
  if (typeof x.code !== "string" || typeof x.message !== "string")
    throw errors.invalid("Invalid 'last_error': expected {code, message} strings.", "last_error");
  return { code: x.code, message: x.message };
}

function incompleteDetails(o: O): { reason: string } | null {
  const d = o.incomplete_details;
  if (d === undefined || d === null) return null;
  const reason = obj(d).reason;
  if (typeof reason !== "string")
    throw errors.invalid("Invalid 'incomplete_details': expected {reason}.", "incomplete_details");
  return { reason };
}

/** `tool_resources` as the create endpoints check it (types and counts), without the helper. */
function toolResources(o: O, maxStores: number, legacyFileIds?: unknown): ToolResources {
  const raw = o.tool_resources;
  const out: ToolResources = {};
  if (raw === undefined || raw === null) {
    if (legacyFileIds !== undefined && legacyFileIds !== null)
      out.code_interpreter = {
        file_ids: v.stringArray(legacyFileIds, "file_ids", LIMITS.codeInterpreterFiles),
      };
    return out;
  }
  if (typeof raw !== "object" || Array.isArray(raw))
    throw errors.invalid("Invalid type for 'tool_resources': expected an object.", "tool_resources");
  const tr = raw as O;
  if (tr.code_interpreter !== undefined && tr.code_interpreter !== null)
    out.code_interpreter = {
      file_ids: v.stringArray(
        obj(tr.code_interpreter).file_ids ?? [],
        "tool_resources.code_interpreter.file_ids",
        LIMITS.codeInterpreterFiles,
      ),
    };
  if (tr.file_search !== undefined && tr.file_search !== null)
    out.file_search = {
      vector_store_ids: v.stringArray(
        obj(tr.file_search).vector_store_ids ?? [],
        "tool_resources.file_search.vector_store_ids",
        maxStores,
      ),
    };
  return out;
}

function usage(o: O): RunRec["usage"] {
  const u = o.usage;
  if (u === undefined || u === null) return null;
  const x = obj(u);
  return {
    prompt_tokens: v.optInt(x, "prompt_tokens", 0) ?? 0,
    completion_tokens: v.optInt(x, "completion_tokens", 0) ?? 0,
    total_tokens: v.optInt(x, "total_tokens", 0) ?? 0,
  };
}

/** A vector-store file's chunking, as the endpoints take it; Azure reports old files as `other`. */
function chunking(o: O): ChunkingStrategy {
  const c = o.chunking_strategy;
  if (obj(c).type === "other") return defaultChunking();
  return parseChunking(c, "chunking_strategy");
}

/** Message content in its wire shape, with the create-message endpoint's length limit. */
function messageContent(o: O): ContentPart[] {
  const raw = o.content;
  if (!Array.isArray(raw)) throw errors.invalid("Invalid type for 'content': expected an array.", "content");
  let total = 0;
  const parts = raw.map((part: unknown, i): ContentPart => {
    const p = obj(part);
    const t = obj(p.text);
    if (p.type === "text" && typeof t.value === "string") {
      total += t.value.length;
      const annotations = t.annotations ?? [];
      if (!Array.isArray(annotations))
        throw errors.invalid(`Invalid type for 'content[${i}].text.annotations'.`, `content[${i}]`);
      return { type: "text", text: { value: t.value, annotations: annotations as TextAnnotation[] } };
    }
    const file = obj(p.image_file);
    if (p.type === "image_file" && typeof file.file_id === "string")
      return {
        type: "image_file",
        image_file: {
          file_id: file.file_id,
          ...(typeof file.detail === "string" ? { detail: file.detail } : {}),
        },
      };
    const url = obj(p.image_url);
    if (p.type === "image_url" && typeof url.url === "string")
      return {
        type: "image_url",
        image_url: { url: url.url, ...(typeof url.detail === "string" ? { detail: url.detail } : {}) },
      };
    throw errors.invalid(`Invalid content part 'content[${i}]'.`, `content[${i}]`);
  });
  const max = LIMITS.messageContentLength.v2;
  if (total > max)
    throw errors.invalid(
      `Invalid 'content': text too long (maximum ${max}).`,
      "content",
      "string_above_max_length",
    );
  return parts;
}

function attachments(o: O): Attachment[] {
  if (o.attachments === undefined || o.attachments === null)
    return o.file_ids === undefined
      ? []
      : v.stringArray(o.file_ids, "file_ids", LIMITS.v1FileIdsPerMessage).map((file_id) => ({
          file_id,
          tools: [{ type: "code_interpreter" as const }],
        }));
  if (!Array.isArray(o.attachments))
    throw errors.invalid("Invalid type for 'attachments': expected an array.", "attachments");
  return o.attachments.map((a: unknown, i): Attachment => {
    const x = obj(a);
    const ap = `attachments[${i}]`;
    if (typeof x.file_id !== "string")
      throw errors.invalid(`Missing required parameter: '${ap}.file_id'.`, `${ap}.file_id`);
    const tools = Array.isArray(x.tools) ? x.tools : [];
    return {
      file_id: x.file_id,
      tools: tools.map((t: unknown) => ({
        type: oneOf(obj(t), "type", ["code_interpreter", "file_search"] as const),
      })),
    };
  });
}

function truncation(o: O): RunRec["truncation_strategy"] {
  const ts = o.truncation_strategy;
  if (ts === undefined || ts === null || obj(ts).type === "auto")
    return { type: "auto", last_messages: null };
  if (obj(ts).type !== "last_messages")
    throw errors.invalid(
      "Invalid 'truncation_strategy.type': expected 'auto' or 'last_messages'.",
      "truncation_strategy.type",
    );
  const n = v.optInt(obj(ts), "last_messages", 1);
  if (n == null)
    throw errors.invalid(
      "Missing required parameter: 'truncation_strategy.last_messages'.",
      "truncation_strategy.last_messages",
    );
  return { type: "last_messages", last_messages: n };
}

const RUN_STATUSES = [
  "queued",
  "in_progress",
  "requires_action",
  "cancelling",
  "cancelled",
  "failed",
  "completed",
  "expired",
  "incomplete",
] as const satisfies readonly RunRec["status"][];
const STEP_STATUSES = [
  "in_progress",
  "cancelled",
  "failed",
  "completed",
  "expired",
] as const satisfies readonly StepRec["status"][];
const MESSAGE_STATUSES = ["in_progress", "incomplete", "completed"] as const;

function stepDetails(o: O, type: StepRec["type"]): StepRec["step_details"] {
  const d = obj(o.step_details);
  if (d.type !== type)
    throw errors.invalid(
      `Invalid 'step_details': expected an object of type '${type}', as the step's type says.`,
      "step_details",
    );
  if (type === "message_creation") {
    const id = obj(d.message_creation).message_id;
    if (typeof id !== "string")
      throw errors.invalid(
        "Missing required parameter: 'step_details.message_creation.message_id'.",
        "step_details",
      );
    return { type, message_creation: { message_id: id } };
  }
  if (!Array.isArray(d.tool_calls))
    throw errors.invalid("Invalid type for 'step_details.tool_calls': expected an array.", "step_details");
  return { type, tool_calls: d.tool_calls as ToolCallRec[] };
}

/** Records in import order (oldest first within a kind), before sequence numbers are given. */
interface Plan {
  assistants: AssistantRec[];
  files: { rec: FileRec; source: string | null }[];
  vectorStores: VectorStoreRec[];
  vectorStoreFiles: VectorStoreFileRec[];
  threads: { thread: ThreadRec; messages: MessageRec[]; runs: RunRec[]; steps: StepRec[] }[];
}

/** Every object of the backup checked and turned into a record; throws (400) before anything is written. */
function build(input: BackupImport): Plan {
  const seq = 0; // replaced when written
  const now = nowSeconds();
  const assistants = input.assistants.map((raw): AssistantRec => {
    const a = obj(raw);
    const id = idOf(raw, "an assistant");
    return checked(`Assistant ${id}`, () => {
      const rf = v.responseFormat(a);
      return {
        id,
        object: "assistant",
        created_at: time(a, "created_at", now),
        _seq: seq,
        name: v.optString(a, "name", LIMITS.nameLength) ?? null,
        description: v.optString(a, "description", LIMITS.descriptionLength) ?? null,
        model: v.reqString(a, "model"),
        instructions: v.optString(a, "instructions", LIMITS.instructionsLength.v2) ?? null,
        tools: v.tools(a, "tools", LIMITS.toolsPerAssistant, "v2") ?? [],
        tool_resources: toolResources(a, LIMITS.vectorStoresPerAssistant, a.file_ids),
        metadata: v.metadata(a) ?? {},
        temperature: v.optNumber(a, "temperature", LIMITS.temperature.min, LIMITS.temperature.max) ?? null,
        top_p: v.optNumber(a, "top_p", LIMITS.topP.min, LIMITS.topP.max) ?? null,
        response_format: rf === undefined || rf === "auto" ? null : rf,
        _fileAddedAt: {},
      };
    });
  });
  const files = input.files.map(({ object, source }) => {
    const f = obj(object);
    const id = idOf(object, "a file");
    const rec = checked(`File ${id}`, (): FileRec => ({
      id,
      object: "file",
      created_at: time(f, "created_at", now),
      _seq: seq,
      bytes: v.optInt(f, "bytes", 0) ?? 0,
      filename: v.reqString(f, "filename"),
      purpose: oneOf(f, "purpose", PURPOSES.v2),
      status: source ? "processed" : "error",
    }));
    return { rec, source };
  });
  const vectorStores: VectorStoreRec[] = [];
  const vectorStoreFiles: VectorStoreFileRec[] = [];
  for (const { vector_store, files: vsFiles } of input.vectorStores) {
    const vs = obj(vector_store);
    const id = idOf(vector_store, "a vector store");
    vectorStores.push(
      checked(`Vector store ${id}`, () => {
        const days = expiresAfter(vs);
        return {
          id,
          object: "vector_store",
          created_at: time(vs, "created_at", now),
          _seq: seq,
          name: v.optString(vs, "name", LIMITS.nameLength) ?? null,
          // Restored stores count as used now, so one about to expire does not expire on arrival.
          last_active_at: now,
          expires_after: days ? { anchor: "last_active_at", days } : null,
          metadata: v.metadata(vs) ?? {},
        };
      }),
    );
    for (const raw of vsFiles) {
      const f = obj(raw);
      const fileId = idOf(raw, `a file of vector store ${id}`);
      vectorStoreFiles.push(
        checked(`File ${fileId} of vector store ${id}`, (): VectorStoreFileRec => ({
          id: fileId,
          object: "vector_store.file",
          created_at: time(f, "created_at", now),
          _seq: seq,
          vector_store_id: id,
          usage_bytes: 0,
          status: "in_progress",
          last_error: null,
          chunking_strategy: chunking(f),
          _batchIds: [],
        })),
      );
    }
  }
  const threads = input.threads.map((t) => {
    const th = obj(t.thread);
    const threadId = idOf(t.thread, "a thread");
    const thread = checked(`Thread ${threadId}`, (): ThreadRec => ({
      id: threadId,
      object: "thread",
      created_at: time(th, "created_at", now),
      _seq: seq,
      metadata: v.metadata(th) ?? {},
      tool_resources: toolResources(th, LIMITS.vectorStoresPerThread),
    }));
    const messages = t.messages.map((raw): MessageRec => {
      const m = obj(raw);
      const id = idOf(raw, "a message");
      return checked(`Message ${id} of thread ${threadId}`, () => {
        const status = oneOf(m, "status", MESSAGE_STATUSES, "completed");
        return {
          id,
          object: "thread.message",
          created_at: time(m, "created_at", now),
          _seq: seq,
          thread_id: threadId,
          // A message still being written when the backup was taken ends like its run: failed.
          status: status === "in_progress" ? "incomplete" : status,
          incomplete_details: status === "in_progress" ? { reason: "run_failed" } : incompleteDetails(m),
          completed_at: timeOrNull(m, "completed_at"),
          incomplete_at: timeOrNull(m, "incomplete_at"),
          role: oneOf(m, "role", ["user", "assistant"] as const),
          content: messageContent(m),
          assistant_id: v.optString(m, "assistant_id") ?? null,
          run_id: v.optString(m, "run_id") ?? null,
          attachments: attachments(m),
          metadata: v.metadata(m) ?? {},
        };
      });
    });
    const runs: RunRec[] = [];
    const steps: StepRec[] = [];
    for (const { run: rawRun, steps: rawSteps } of t.runs) {
      const r = obj(rawRun);
      const runId = idOf(rawRun, "a run");
      const run = checked(`Run ${runId} of thread ${threadId}`, (): RunRec => {
        const status = oneOf(r, "status", RUN_STATUSES);
        const finished = TERMINAL_RUN_STATUSES.has(status);
        return {
          id: runId,
          object: "thread.run",
          created_at: time(r, "created_at", now),
          _seq: seq,
          thread_id: threadId,
          assistant_id: v.reqString(r, "assistant_id"),
          status: finished ? status : "failed",
          required_action: null,
          last_error: finished
            ? lastError(r)
            : { code: "server_error", message: "The run was still active when the backup was taken." },
          expires_at: null,
          started_at: timeOrNull(r, "started_at"),
          cancelled_at: timeOrNull(r, "cancelled_at"),
          failed_at: finished ? timeOrNull(r, "failed_at") : now,
          completed_at: timeOrNull(r, "completed_at"),
          incomplete_details: incompleteDetails(r),
          model: v.reqString(r, "model"),
          instructions: v.optString(r, "instructions", LIMITS.instructionsLength.v2) ?? "",
          tools: v.tools(r, "tools", LIMITS.toolsPerAssistant, "v2") ?? [],
          metadata: v.metadata(r) ?? {},
          usage: usage(r),
          temperature: v.optNumber(r, "temperature", LIMITS.temperature.min, LIMITS.temperature.max) ?? null,
          top_p: v.optNumber(r, "top_p", LIMITS.topP.min, LIMITS.topP.max) ?? null,
          max_prompt_tokens: v.optInt(r, "max_prompt_tokens", LIMITS.minTokenLimit) ?? null,
          max_completion_tokens: v.optInt(r, "max_completion_tokens", LIMITS.minTokenLimit) ?? null,
          truncation_strategy: truncation(r),
          tool_choice: v.toolChoice(r) ?? "auto",
          response_format: v.responseFormat(r) ?? "auto",
          parallel_tool_calls: v.optBool(r, "parallel_tool_calls") ?? true,
          _fileIds:
            r.file_ids === undefined
              ? []
              : v.stringArray(r.file_ids, "file_ids", LIMITS.codeInterpreterFiles),
          _expiresAtMs: 0,
          _generation: "v2",
          _priorFunctionCalls: [],
          _pendingStepId: null,
          _completionChars: 0,
        };
      });
      runs.push(run);
      // Steps of a run that was still going end with it.
      const finished = TERMINAL_RUN_STATUSES.has(String(r.status));
      for (const raw of rawSteps) {
        const s = obj(raw);
        const stepId = idOf(raw, "a run step");
        steps.push(
          checked(`Run step ${stepId} of run ${runId}`, (): StepRec => {
            const type = oneOf(s, "type", ["message_creation", "tool_calls"] as const);
            const stepStatus = oneOf(s, "status", STEP_STATUSES);
            const open = stepStatus === "in_progress";
            return {
              id: stepId,
              object: "thread.run.step",
              created_at: time(s, "created_at", now),
              _seq: seq,
              assistant_id: v.optString(s, "assistant_id") ?? "",
              thread_id: threadId,
              run_id: runId,
              type,
              status: open && !finished ? "failed" : stepStatus,
              step_details: stepDetails(s, type),
              last_error: lastError(s),
              expired_at: timeOrNull(s, "expired_at"),
              cancelled_at: timeOrNull(s, "cancelled_at"),
              failed_at: open && !finished ? now : timeOrNull(s, "failed_at"),
              completed_at: timeOrNull(s, "completed_at"),
              metadata: v.metadata(s) ?? {},
              usage: usage(s),
            };
          }),
        );
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
  const exists = async (kind: Kind, id: string) => (await store.get(kind, id)) !== undefined;

  // Collisions, by top-level object (and any child whose id is taken elsewhere).
  const skip = new Set<string>();
  const collide = async (kind: Kind, id: string) => {
    if (await exists(kind, id)) {
      report.collisions.push(id);
      skip.add(id);
      return true;
    }
    return false;
  };
  for (const a of plan.assistants) await collide("assistant", a.id);
  for (const f of plan.files) await collide("file", f.rec.id);
  for (const v of plan.vectorStores) await collide("vector_store", v.id);
  for (const t of plan.threads) {
    if (await collide("thread", t.thread.id)) continue;
    for (const m of t.messages) await collide("message", m.id);
    for (const r of t.runs) await collide("run", r.id);
    for (const s of t.steps) await collide("step", s.id);
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
  const put = async <K extends Kind>(kind: K, rec: Parameters<typeof store.put<K>>[1]) => {
    (rec as { _seq: number })._seq = await store.nextSeq();
    await store.put(kind, rec);
  };
  const byAge = <T extends { created_at: number }>(list: T[]) =>
    list
      .map((x, i) => [x, i] as const)
      .sort((a, b) => a[0].created_at - b[0].created_at || a[1] - b[1])
      .map(([x]) => x);

  // The bytes first (never inside the transaction: that would hold the database for a copy), then
  // every record in one transaction; if it fails, the bytes go again.
  const files = byAge(plan.files.map((f) => ({ ...f, created_at: f.rec.created_at })));
  const moved: string[] = [];
  try {
    for (const { rec, source } of files) {
      if (skip.has(rec.id) || !source) continue;
      const target = path.join(store.blobDir, rec.id);
      await moveInto(source, target);
      moved.push(target);
      rec.bytes = (await fs.promises.stat(target)).size;
    }
    const ingest = await store.transaction(() => writeRecords());
    for (const f of ingest) core.ingestor.enqueue(f);
  } catch (e) {
    for (const target of moved) await fs.promises.rm(target, { force: true });
    throw e;
  }
  return report;

  async function writeRecords(): Promise<VectorStoreFileRec[]> {
    for (const { rec, source } of files) {
      if (skip.has(rec.id)) {
        report.skipped.push(rec.id);
        continue;
      }
      if (!source)
        report.warnings.push(
          `File ${rec.id} (${rec.filename}) had no content in the backup: restored with status "error".`,
        );
      await put("file", rec);
      report.created.files++;
    }
    for (const v of byAge(plan.vectorStores)) {
      if (skip.has(v.id)) {
        report.skipped.push(v.id);
        continue;
      }
      await put("vector_store", v);
      report.created.vectorStores++;
    }
    const ingest: VectorStoreFileRec[] = [];
    for (const f of byAge(plan.vectorStoreFiles)) {
      if (skip.has(f.vector_store_id)) continue;
      if (!(await store.get("file", f.id))) {
        report.warnings.push(
          `File ${f.id} of vector store ${f.vector_store_id} is not in the backup: left out of the store.`,
        );
        continue;
      }
      if (await store.get("vector_store_file", keyOf("vector_store_file", f))) continue;
      await put("vector_store_file", f);
      ingest.push(f);
    }
    for (const a of byAge(plan.assistants)) {
      if (skip.has(a.id)) {
        report.skipped.push(a.id);
        continue;
      }
      await put("assistant", a);
      report.created.assistants++;
    }
    for (const t of byAge(plan.threads.map((x) => ({ ...x, created_at: x.thread.created_at })))) {
      if (skip.has(t.thread.id)) {
        report.skipped.push(t.thread.id);
        continue;
      }
      await put("thread", t.thread);
      report.created.threads++;
      for (const m of byAge(t.messages)) {
        if (skip.has(m.id)) {
          report.skipped.push(m.id);
          continue;
        }
        await put("message", m);
        report.created.messages++;
      }
      for (const r of byAge(t.runs)) {
        if (skip.has(r.id)) {
          report.skipped.push(r.id);
          continue;
        }
        await put("run", r);
        report.created.runs++;
      }
      for (const s of byAge(t.steps)) {
        if (skip.has(s.id)) {
          report.skipped.push(s.id);
          continue;
        }
        await put("step", s);
        report.created.steps++;
      }
    }
    return ingest;
  }
}
