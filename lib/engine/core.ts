/** Shared engine state and the operations several resources need (lookups, thread lock, helpers). */
import type { CodeSandbox } from "./sandbox/types";
import { errors } from "./errors";
import { ID_PREFIX, newId, nowSeconds } from "./ids";
import { LIMITS } from "./limits";
import type { Generation, Model } from "./model/types";
import type {
  Attachment,
  AssistantRec,
  ChunkingStrategy,
  ContentPart,
  FileRec,
  MessageRec,
  Metadata,
  RunRec,
  RunStatus,
  ThreadRec,
  ToolResources,
  VectorStoreFileRec,
  VectorStoreRec,
} from "./records";
import { isTerminal, RUN_TRANSITIONS } from "./run-states";
import { keyOf, type Filter, type Store } from "./store";
import * as validate from "./validate";

export interface CoreOptions {
  pollAfterMs: number;
  runExpirySeconds: number;
  maxFileBytes: number;
}

export const TERMINAL_RUN_STATUSES = new Set(["cancelled", "failed", "completed", "expired", "incomplete"]);
/** The statuses that hold the thread lock. */
export const ACTIVE_RUN_STATUSES = (Object.keys(RUN_TRANSITIONS) as RunStatus[]).filter(
  (s) => !isTerminal(s),
);

export interface ParsedMessage {
  role: "user" | "assistant";
  content: ContentPart[];
  attachments: Attachment[];
  metadata: Metadata;
}

export interface Ingestor {
  enqueue(vsf: VectorStoreFileRec): void;
}

export class Core {
  ingestor!: Ingestor;
  /** Runs code-interpreter code; null when the engine has no sandbox (the tool then says so). */
  sandbox: CodeSandbox | null = null;

  constructor(
    readonly store: Store,
    readonly model: Model,
    readonly options: CoreOptions,
  ) {}

  async assistant(id: string, param?: string): Promise<AssistantRec> {
    return (await this.store.get("assistant", id)) ?? throwIt(errors.notFound("assistant", id, param));
  }
  async thread(id: string): Promise<ThreadRec> {
    return (await this.store.get("thread", id)) ?? throwIt(errors.notFound("thread", id));
  }
  async lockAssistant(id: string): Promise<AssistantRec> {
    return (await this.store.lock("assistant", id)) ?? throwIt(errors.notFound("assistant", id));
  }
  /** The thread, locked until the enclosing transaction ends (the thread lock's check-then-write). */
  async lockThread(id: string): Promise<ThreadRec> {
    return (await this.store.lock("thread", id)) ?? throwIt(errors.notFound("thread", id));
  }
  async message(threadId: string, id: string): Promise<MessageRec> {
    const m = await this.store.get("message", id);
    if (!m || m.thread_id !== threadId) throw errors.notFound("message", id);
    return m;
  }
  async run(threadId: string, id: string): Promise<RunRec> {
    const r = await this.store.get("run", id);
    if (!r || r.thread_id !== threadId) throw errors.notFound("run", id);
    return r;
  }
  async file(id: string, param?: string): Promise<FileRec> {
    return (await this.store.get("file", id)) ?? throwIt(errors.notFound("file", id, param));
  }
  async vectorStore(id: string, param?: string): Promise<VectorStoreRec> {
    return (await this.store.get("vector_store", id)) ?? throwIt(errors.notFound("vector store", id, param));
  }

  async activeRun(threadId: string): Promise<RunRec | undefined> {
    const [active] = await this.store.list("run", {
      eq: { thread_id: threadId },
      statusIn: ACTIVE_RUN_STATUSES,
    });
    return active;
  }

  /** Call inside a transaction that holds the thread's lock (`lockThread`). */
  async assertThreadUnlocked(threadId: string, what: "messages" | "runs"): Promise<void> {
    const active = await this.activeRun(threadId);
    if (!active) return;
    throw errors.conflict(
      what === "messages"
        ? `Can't add messages to ${threadId} while a run ${active.id} is active.`
        : `Thread ${threadId} already has an active run ${active.id}.`,
    );
  }

  /** Parses a create-message body (v1 `file_ids`, v2 `attachments` and content parts). */
  async parseMessage(body: Record<string, unknown>, g: Generation, param = ""): Promise<ParsedMessage> {
    const p = (k: string) => (param ? `${param}.${k}` : k);
    const role = body.role;
    if (role !== "user" && !(role === "assistant" && g === "v2"))
      throw errors.invalid(
        `Invalid value for '${p("role")}': expected ${g === "v1" ? "'user'" : "'user' or 'assistant'"}.`,
        p("role"),
      );
    const maxLen = LIMITS.messageContentLength[g];
    const content: ContentPart[] = [];
    const raw = body.content;
    if (typeof raw === "string") {
      if (raw.length > maxLen)
        throw errors.invalid(
          `Invalid '${p("content")}': string too long. Expected a string with maximum length ${maxLen}, but got a string with length ${raw.length} instead.`,
          p("content"),
          "string_above_max_length",
        );
      content.push({ type: "text", text: { value: raw, annotations: [] } });
    } else if (Array.isArray(raw) && g === "v2" && raw.length > 0) {
      let total = 0;
      for (const [i, part] of (raw as unknown[]).entries()) {
        const pp = `${p("content")}[${i}]`;
        const o = (part ?? {}) as Record<string, unknown>;
        if (o.type === "text" && typeof o.text === "string") {
          total += o.text.length;
          content.push({ type: "text", text: { value: o.text, annotations: [] } });
        } else if (
          o.type === "image_file" &&
          o.image_file &&
          typeof (o.image_file as { file_id?: unknown }).file_id === "string"
        ) {
          const f = o.image_file as { file_id: string; detail?: string };
          await this.file(f.file_id, `${pp}.image_file.file_id`);
          content.push({
            type: "image_file",
            image_file: { file_id: f.file_id, ...(f.detail ? { detail: f.detail } : {}) },
          });
        } else if (
          o.type === "image_url" &&
          o.image_url &&
          typeof (o.image_url as { url?: unknown }).url === "string"
        ) {
          const u = o.image_url as { url: string; detail?: string };
          content.push({
            type: "image_url",
            image_url: { url: u.url, ...(u.detail ? { detail: u.detail } : {}) },
          });
        } else throw errors.invalid(`Invalid content part '${pp}'.`, pp);
      }
      if (total > maxLen)
        throw errors.invalid(
          `Invalid '${p("content")}': text too long (maximum ${maxLen}).`,
          p("content"),
          "string_above_max_length",
        );
    } else {
      throw errors.invalid(
        `Missing required parameter: '${p("content")}'.`,
        p("content"),
        "missing_required_parameter",
      );
    }
    const attachments: Attachment[] = [];
    if (g === "v1" && body.file_ids !== undefined) {
      for (const id of validate.stringArray(body.file_ids, p("file_ids"), LIMITS.v1FileIdsPerMessage)) {
        await this.file(id, p("file_ids"));
        // v1 message files serve code interpreter and retrieval alike.
        attachments.push({ file_id: id, tools: [{ type: "code_interpreter" }, { type: "file_search" }] });
      }
    }
    if (g === "v2" && body.attachments !== undefined && body.attachments !== null) {
      if (!Array.isArray(body.attachments))
        throw errors.invalid(`Invalid type for '${p("attachments")}': expected an array.`, p("attachments"));
      for (const [i, a] of (body.attachments as unknown[]).entries()) {
        const ap = `${p("attachments")}[${i}]`;
        const o = (a ?? {}) as { file_id?: unknown; tools?: unknown };
        if (typeof o.file_id !== "string")
          throw errors.invalid(`Missing required parameter: '${ap}.file_id'.`, `${ap}.file_id`);
        await this.file(o.file_id, `${ap}.file_id`);
        const tools = Array.isArray(o.tools) ? o.tools : [];
        const parsed = tools.map((t: unknown, j) => {
          const type = (t as { type?: unknown })?.type;
          if (type !== "code_interpreter" && type !== "file_search")
            throw errors.invalid(`Invalid value for '${ap}.tools[${j}].type'.`, `${ap}.tools[${j}].type`);
          return { type } as { type: "code_interpreter" | "file_search" };
        });
        attachments.push({ file_id: o.file_id, tools: parsed });
      }
    }
    return { role, content, attachments, metadata: validate.metadata(body, p("metadata")) ?? {} };
  }

  /** Adds a message to a thread; file_search attachments land in the thread's vector store. */
  async addMessage(
    thread: ThreadRec,
    input: ParsedMessage,
    extra: Partial<MessageRec> = {},
  ): Promise<MessageRec> {
    const now = nowSeconds();
    const msg: MessageRec = {
      id: newId(ID_PREFIX.message),
      object: "thread.message",
      created_at: now,
      _seq: await this.store.nextSeq(),
      thread_id: thread.id,
      status: "completed",
      incomplete_details: null,
      completed_at: now,
      incomplete_at: null,
      role: input.role,
      content: input.content,
      assistant_id: null,
      run_id: null,
      attachments: input.attachments,
      metadata: input.metadata,
      ...extra,
    };
    await this.store.put("message", msg);
    const searchFiles = input.attachments
      .filter((a) => a.tools.some((t) => t.type === "file_search"))
      .map((a) => a.file_id);
    if (searchFiles.length > 0) {
      let vsId = thread.tool_resources.file_search?.vector_store_ids[0];
      if (!vsId || !(await this.store.get("vector_store", vsId))) {
        vsId = (
          await this.createVectorStore({
            name: null,
            expiresAfterDays: LIMITS.threadHelperVectorStoreDays,
            metadata: {},
          })
        ).id;
        thread.tool_resources = { ...thread.tool_resources, file_search: { vector_store_ids: [vsId] } };
        await this.store.put("thread", thread);
      }
      for (const f of searchFiles) await this.addVectorStoreFile(vsId, f);
    }
    return msg;
  }

  /** v2 `tool_resources` on create/modify of assistants and threads, with the vector_stores helper. */
  async parseToolResources(
    body: Record<string, unknown>,
    allowHelper: boolean,
    forThread: boolean,
  ): Promise<ToolResources | undefined> {
    const v = body.tool_resources;
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "object")
      throw errors.invalid("Invalid type for 'tool_resources': expected an object.", "tool_resources");
    const tr = v as {
      code_interpreter?: { file_ids?: unknown };
      file_search?: { vector_store_ids?: unknown; vector_stores?: unknown };
    };
    const out: ToolResources = {};
    if (tr.code_interpreter) {
      const ids = validate.stringArray(
        tr.code_interpreter.file_ids ?? [],
        "tool_resources.code_interpreter.file_ids",
        LIMITS.codeInterpreterFiles,
      );
      for (const id of ids) await this.file(id, "tool_resources.code_interpreter.file_ids");
      out.code_interpreter = { file_ids: ids };
    }
    if (tr.file_search) {
      const max = forThread ? LIMITS.vectorStoresPerThread : LIMITS.vectorStoresPerAssistant;
      const ids = validate.stringArray(
        tr.file_search.vector_store_ids ?? [],
        "tool_resources.file_search.vector_store_ids",
        max,
      );
      for (const id of ids) await this.vectorStore(id, "tool_resources.file_search.vector_store_ids");
      if (tr.file_search.vector_stores !== undefined) {
        if (!allowHelper)
          throw errors.invalid(
            "Unknown parameter: 'tool_resources.file_search.vector_stores'.",
            "tool_resources.file_search.vector_stores",
          );
        const helpers = tr.file_search.vector_stores;
        if (!Array.isArray(helpers) || helpers.length + ids.length > max)
          throw errors.invalid(
            `Invalid 'tool_resources.file_search': at most ${max} vector store.`,
            "tool_resources.file_search.vector_stores",
            "array_above_max_length",
          );
        for (const h of helpers as Record<string, unknown>[]) {
          const fileIds = validate.stringArray(
            h.file_ids ?? [],
            "tool_resources.file_search.vector_stores.file_ids",
            LIMITS.filesPerVectorStoreHelper,
          );
          for (const id of fileIds) await this.file(id, "tool_resources.file_search.vector_stores.file_ids");
          const chunking = parseChunking(
            h.chunking_strategy,
            "tool_resources.file_search.vector_stores.chunking_strategy",
          );
          const vs = await this.createVectorStore({
            name: null,
            expiresAfterDays: forThread ? LIMITS.threadHelperVectorStoreDays : null,
            metadata: validate.metadata(h, "metadata") ?? {},
          });
          for (const f of fileIds) await this.addVectorStoreFile(vs.id, f, chunking);
          ids.push(vs.id);
        }
      }
      out.file_search = { vector_store_ids: ids };
    }
    return out;
  }

  async createVectorStore(input: {
    name: string | null;
    expiresAfterDays: number | null;
    metadata: Metadata;
  }): Promise<VectorStoreRec> {
    const now = nowSeconds();
    const vs: VectorStoreRec = {
      id: newId(ID_PREFIX.vectorStore),
      object: "vector_store",
      created_at: now,
      _seq: await this.store.nextSeq(),
      name: input.name,
      last_active_at: now,
      expires_after: input.expiresAfterDays
        ? { anchor: "last_active_at", days: input.expiresAfterDays }
        : null,
      metadata: input.metadata,
    };
    await this.store.put("vector_store", vs);
    return vs;
  }

  async addVectorStoreFile(
    vsId: string,
    fileId: string,
    chunking?: ChunkingStrategy,
    batchId?: string,
  ): Promise<VectorStoreFileRec> {
    const existing = await this.store.get("vector_store_file", `${vsId}__${fileId}`);
    if (existing) {
      if (batchId && !existing._batchIds.includes(batchId)) {
        existing._batchIds.push(batchId);
        await this.store.put("vector_store_file", existing);
      }
      return existing;
    }
    const rec: VectorStoreFileRec = {
      id: fileId,
      object: "vector_store.file",
      created_at: nowSeconds(),
      _seq: await this.store.nextSeq(),
      vector_store_id: vsId,
      usage_bytes: 0,
      status: "in_progress",
      last_error: null,
      chunking_strategy: chunking ?? defaultChunking(),
      _batchIds: batchId ? [batchId] : [],
    };
    await this.store.put("vector_store_file", rec);
    // Ingestion reads the record: it starts once the record is committed.
    this.store.afterCommit(() => this.ingestor.enqueue(rec));
    return rec;
  }

  vectorStoreFiles(vsId: string, filter: Filter = {}): Promise<VectorStoreFileRec[]> {
    return this.store.list("vector_store_file", { ...filter, eq: { ...filter.eq, vector_store_id: vsId } });
  }

  async removeVectorStoreFile(vsf: VectorStoreFileRec): Promise<void> {
    await this.store.delete("vector_store_file", keyOf("vector_store_file", vsf));
    this.store.afterCommit(() => this.ingestor.enqueue({ ...vsf, status: "cancelled" }));
  }

  async touchVectorStore(vsId: string): Promise<void> {
    const vs = await this.store.get("vector_store", vsId);
    if (!vs) return;
    vs.last_active_at = nowSeconds();
    await this.store.put("vector_store", vs);
  }
}

export function defaultChunking(): ChunkingStrategy {
  return {
    type: "static",
    static: {
      max_chunk_size_tokens: LIMITS.staticChunkSize.default,
      chunk_overlap_tokens: LIMITS.staticChunkOverlapDefault,
    },
  };
}

export function parseChunking(v: unknown, param: string): ChunkingStrategy {
  if (v === undefined || v === null) return defaultChunking();
  const o = v as {
    type?: unknown;
    static?: { max_chunk_size_tokens?: unknown; chunk_overlap_tokens?: unknown };
  };
  if (o.type === "auto") return defaultChunking();
  if (o.type === "static" && o.static && typeof o.static === "object") {
    const size = validate.optInt(
      o.static as Record<string, unknown>,
      "max_chunk_size_tokens",
      LIMITS.staticChunkSize.min,
      LIMITS.staticChunkSize.max,
    );
    const overlap = validate.optInt(o.static as Record<string, unknown>, "chunk_overlap_tokens", 0);
    if (size == null || overlap == null)
      throw errors.invalid(
        `Missing required parameter: '${param}.static.max_chunk_size_tokens' / 'chunk_overlap_tokens'.`,
        param,
      );
    if (overlap > size / 2)
      throw errors.invalid(
        `Invalid '${param}.static.chunk_overlap_tokens': must not exceed half of max_chunk_size_tokens.`,
        param,
      );
    return { type: "static", static: { max_chunk_size_tokens: size, chunk_overlap_tokens: overlap } };
  }
  throw errors.invalid(`Invalid '${param}': expected {type:'auto'} or {type:'static', static:{…}}.`, param);
}

function throwIt(e: Error): never {
  throw e;
}
