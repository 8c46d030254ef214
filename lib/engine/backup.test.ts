import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runIsolated } from "@/tests/helpers/isolated";
import { createEngine, type BackupImport, type Engine } from "./index";
import { EngineError } from "./errors";

// A restore takes wire objects from an archive anyone can write: every field goes through the
// checks of the endpoint that creates it, and a bad object refuses the whole restore (400, naming
// the object and the field) before anything is written.

let dir: string;
let engine: Engine;

beforeEach(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "backup-validate-"));
  engine = createEngine({ dataDir: path.join(dir, "data"), pollAfterMs: 5 });
});

afterEach(async () => {
  await engine.close();
  await fs.promises.rm(dir, { recursive: true, force: true });
});

type O = Record<string, unknown>;

/** A small valid backup; no file has bytes, so nothing is ingested whatever the chunking says. */
function backup(): {
  assistant: O;
  file: O;
  store: O;
  storeFile: O;
  thread: O;
  message: O;
  run: O;
  step: O;
  input: () => BackupImport;
} {
  const assistant: O = {
    id: "asst_1",
    object: "assistant",
    created_at: 1_700_000_000,
    name: "Helper",
    description: null,
    model: "gpt-4o",
    instructions: "Be brief.",
    tools: [{ type: "code_interpreter" }, { type: "file_search" }],
    tool_resources: { file_search: { vector_store_ids: ["vs_1"] } },
    metadata: { team: "ops" },
    temperature: 1,
    top_p: 1,
    response_format: "auto",
  };
  const file: O = {
    id: "file-1",
    object: "file",
    created_at: 1_700_000_000,
    bytes: 10,
    filename: "notes.md",
    purpose: "assistants",
  };
  const store: O = {
    id: "vs_1",
    object: "vector_store",
    created_at: 1_700_000_000,
    name: "Notes",
    expires_after: { anchor: "last_active_at", days: 7 },
    metadata: {},
  };
  const storeFile: O = {
    id: "file-1",
    object: "vector_store.file",
    created_at: 1_700_000_000,
    vector_store_id: "vs_1",
    chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } },
  };
  const thread: O = { id: "thread_1", object: "thread", created_at: 1_700_000_000, metadata: {} };
  const message: O = {
    id: "msg_1",
    object: "thread.message",
    created_at: 1_700_000_000,
    thread_id: "thread_1",
    status: "completed",
    role: "user",
    content: [{ type: "text", text: { value: "Hello", annotations: [] } }],
    attachments: [],
    metadata: {},
  };
  const run: O = {
    id: "run_1",
    object: "thread.run",
    created_at: 1_700_000_000,
    thread_id: "thread_1",
    assistant_id: "asst_1",
    status: "completed",
    model: "gpt-4o",
    instructions: "Be brief.",
    tools: [],
    metadata: {},
    temperature: 1,
    top_p: 1,
    max_prompt_tokens: null,
    max_completion_tokens: null,
    truncation_strategy: { type: "auto", last_messages: null },
    tool_choice: "auto",
    response_format: "auto",
    parallel_tool_calls: true,
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
  const step: O = {
    id: "step_1",
    object: "thread.run.step",
    created_at: 1_700_000_000,
    run_id: "run_1",
    assistant_id: "asst_1",
    thread_id: "thread_1",
    type: "message_creation",
    status: "completed",
    step_details: { type: "message_creation", message_creation: { message_id: "msg_1" } },
    metadata: {},
  };
  return {
    assistant,
    file,
    store,
    storeFile,
    thread,
    message,
    run,
    step,
    input: () => ({
      assistants: [assistant],
      files: [{ object: file, source: null }],
      vectorStores: [{ vector_store: store, files: [storeFile] }],
      threads: [{ thread, messages: [message], runs: [{ run, steps: [step] }] }],
    }),
  };
}

type Target = "assistant" | "file" | "store" | "storeFile" | "thread" | "message" | "run" | "step";

/** [what is wrong, which object, field to set, bad value, words the message must contain] */
const BAD: [string, Target, string, unknown, string[]][] = [
  [
    "chunk size 0",
    "storeFile",
    "chunking_strategy",
    chunking(0, 0),
    ["file-1", "vs_1", "max_chunk_size_tokens"],
  ],
  [
    "negative chunk size",
    "storeFile",
    "chunking_strategy",
    chunking(-5, 0),
    ["file-1", "max_chunk_size_tokens"],
  ],
  [
    "chunk size above the maximum",
    "storeFile",
    "chunking_strategy",
    chunking(100_000, 0),
    ["max_chunk_size_tokens"],
  ],
  ["overlap above half", "storeFile", "chunking_strategy", chunking(800, 401), ["chunk_overlap_tokens"]],
  ["negative overlap", "storeFile", "chunking_strategy", chunking(800, -1), ["chunk_overlap_tokens"]],
  [
    "chunk size not a number",
    "storeFile",
    "chunking_strategy",
    chunking("800", 0),
    ["max_chunk_size_tokens"],
  ],
  ["unknown chunking type", "storeFile", "chunking_strategy", { type: "dynamic" }, ["chunking_strategy"]],
  ["assistant name too long", "assistant", "name", "n".repeat(300), ["asst_1", "name"]],
  ["assistant without a model", "assistant", "model", 42, ["asst_1", "model"]],
  ["assistant instructions too long", "assistant", "instructions", "i".repeat(256_001), ["instructions"]],
  ["assistant temperature out of range", "assistant", "temperature", 7, ["asst_1", "temperature"]],
  ["assistant top_p out of range", "assistant", "top_p", -1, ["top_p"]],
  [
    "assistant tool of no known type",
    "assistant",
    "tools",
    [{ type: "browser" }],
    ["asst_1", "tools[0].type"],
  ],
  [
    "assistant with too many tools",
    "assistant",
    "tools",
    Array(129).fill({ type: "code_interpreter" }),
    ["tools"],
  ],
  ["assistant metadata not strings", "assistant", "metadata", { a: 1 }, ["asst_1", "metadata.a"]],
  ["assistant with 17 metadata keys", "assistant", "metadata", manyKeys(17), ["metadata"]],
  [
    "assistant response_format unknown",
    "assistant",
    "response_format",
    { type: "yaml" },
    ["response_format"],
  ],
  [
    "assistant with two vector stores",
    "assistant",
    "tool_resources",
    { file_search: { vector_store_ids: ["vs_1", "vs_2"] } },
    ["asst_1", "tool_resources.file_search.vector_store_ids"],
  ],
  [
    "assistant with 21 code-interpreter files",
    "assistant",
    "tool_resources",
    { code_interpreter: { file_ids: Array.from({ length: 21 }, (_, i) => `file-${i}`) } },
    ["tool_resources.code_interpreter.file_ids"],
  ],
  ["file purpose unknown", "file", "purpose", "anything", ["file-1", "purpose"]],
  ["file without a filename", "file", "filename", null, ["file-1", "filename"]],
  ["store name too long", "store", "name", "s".repeat(300), ["vs_1", "name"]],
  [
    "store expiry of 0 days",
    "store",
    "expires_after",
    { anchor: "last_active_at", days: 0 },
    ["vs_1", "days"],
  ],
  ["store expiry of 10 years", "store", "expires_after", { anchor: "last_active_at", days: 3650 }, ["days"]],
  ["store metadata not an object", "store", "metadata", "x", ["vs_1", "metadata"]],
  [
    "thread metadata value too long",
    "thread",
    "metadata",
    { k: "v".repeat(600) },
    ["thread_1", "metadata.k"],
  ],
  [
    "thread with two vector stores",
    "thread",
    "tool_resources",
    { file_search: { vector_store_ids: ["vs_1", "vs_2"] } },
    ["thread_1", "tool_resources.file_search.vector_store_ids"],
  ],
  ["message role unknown", "message", "role", "system", ["msg_1", "role"]],
  ["message content not a list", "message", "content", 5, ["msg_1", "content"]],
  ["message content part unknown", "message", "content", [{ type: "audio" }], ["msg_1", "content[0]"]],
  ["message text too long", "message", "content", [text("x".repeat(256_001))], ["msg_1", "content"]],
  ["message attachment without file", "message", "attachments", [{ tools: [] }], ["msg_1", "attachments[0]"]],
  ["run status unknown", "run", "status", "paused", ["run_1", "status"]],
  ["run max_prompt_tokens below 256", "run", "max_prompt_tokens", 10, ["run_1", "max_prompt_tokens"]],
  ["run max_completion_tokens fractional", "run", "max_completion_tokens", 300.5, ["max_completion_tokens"]],
  ["run temperature out of range", "run", "temperature", 3, ["run_1", "temperature"]],
  [
    "run truncation of 0 messages",
    "run",
    "truncation_strategy",
    { type: "last_messages", last_messages: 0 },
    ["run_1", "last_messages"],
  ],
  ["run tool_choice unknown", "run", "tool_choice", "sometimes", ["run_1", "tool_choice"]],
  ["run tools not a list", "run", "tools", "all", ["run_1", "tools"]],
  ["run metadata not strings", "run", "metadata", { k: false }, ["run_1", "metadata.k"]],
  ["step type unknown", "step", "type", "thinking", ["step_1", "type"]],
  ["step status unknown", "step", "status", "paused", ["step_1", "status"]],
  ["step details missing", "step", "step_details", null, ["step_1", "step_details"]],
];

function chunking(size: unknown, overlap: unknown) {
  return { type: "static", static: { max_chunk_size_tokens: size, chunk_overlap_tokens: overlap } };
}
function manyKeys(n: number) {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
}
function text(value: string) {
  return { type: "text", text: { value, annotations: [] } };
}

async function nothingImported() {
  const client = (p: string) =>
    engine.fetch(new Request(`http://engine.test/openai${p}?api-version=2024-05-01-preview`));
  for (const p of ["/assistants", "/vector_stores", "/threads/thread_1", "/files/file-1"]) {
    const res = await client(p);
    const body = (await res.json()) as { data?: unknown[] };
    if (res.status === 200) expect(body.data, p).toEqual([]);
    else expect(res.status, p).toBe(404);
  }
}

describe("restore validates every object like the endpoint that creates it", () => {
  it("imports the valid backup (the baseline every case below breaks one field of)", async () => {
    const report = await engine.importBackup!(backup().input());
    expect(report.created).toMatchObject({ assistants: 1, files: 1, vectorStores: 1, threads: 1, runs: 1 });
  });

  it.each(BAD)(
    "%s: 400 naming the object and the field, nothing imported",
    async (_, target, field, value, words) => {
      const b = backup();
      b[target][field] = value;
      const err = await engine.importBackup!(b.input()).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).status).toBe(400);
      expect((err as EngineError).body.code).toBe("invalid_backup");
      for (const w of words) expect((err as EngineError).message).toContain(w);
      await nothingImported();
    },
  );

  it("takes a store file's chunking as Azure reports old files ({type:'other'}) or leaves it out: the default", async () => {
    const b = backup();
    b.storeFile.chunking_strategy = { type: "other" };
    await engine.importBackup!(b.input());
    const res = await engine.fetch(
      new Request("http://engine.test/openai/vector_stores/vs_1/files/file-1?api-version=2024-05-01-preview"),
    );
    expect(((await res.json()) as { chunking_strategy: unknown }).chunking_strategy).toEqual(
      chunking(800, 400),
    );
  });
});

describe("a restored store file with chunk size 0", () => {
  // The ingestion of such a file looped forever, synchronously: the engine stopped answering. The
  // scenario runs in its own process, killed if it does not end in time.
  it("is refused, and the engine stays responsive", async () => {
    const run = await runIsolated(
      `import fs from "node:fs";
      import os from "node:os";
      import path from "node:path";
      import { createEngine } from "@root/lib/engine/index.ts";
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-hang-"));
      const engine = createEngine({ dataDir: path.join(dir, "data"), pollAfterMs: 5 });
      const source = path.join(dir, "staged");
      fs.writeFileSync(source, "The warehouse in Lyon ships on Tuesdays. ".repeat(50));
      let outcome = "";
      try {
        await engine.importBackup({
          assistants: [],
          files: [{ object: { id: "file-1", object: "file", filename: "notes.md", purpose: "assistants" }, source }],
          vectorStores: [{
            vector_store: { id: "vs_1", object: "vector_store", name: null, metadata: {} },
            files: [{ id: "file-1", chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 0, chunk_overlap_tokens: 0 } } }],
          }],
          threads: [],
        });
        outcome = "imported";
      } catch (e) {
        outcome = "refused " + e.status + ": " + e.message;
      }
      await engine.fetch(new Request("http://engine.test/_engine/idle", { method: "POST" }));
      const list = await engine.fetch(new Request("http://engine.test/openai/assistants?api-version=2024-05-01-preview"));
      console.log(JSON.stringify({ outcome, listStatus: list.status }));
      await engine.close();
      fs.rmSync(dir, { recursive: true, force: true });`,
      15_000,
    );
    expect(run.finished, `the restore or its ingestion did not end within 15 s\n${run.stderr}`).toBe(true);
    const result = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as {
      outcome: string;
      listStatus: number;
    };
    expect(result.outcome).toMatch(/^refused 400: .*file-1.*max_chunk_size_tokens/);
    expect(result.listStatus).toBe(200);
  });
});
