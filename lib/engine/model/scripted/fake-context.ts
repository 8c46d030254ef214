/**
 * A hand-made ModelRunContext for tests and demos of the scripted model: files live in a Map,
 * search is a plain word-overlap ranking, ids are sequential (so runs are reproducible).
 */
import type { FileSearchHit, ModelEvent, ModelMessage, ModelRunContext } from "../types";
import { OFF_STATUS } from "../../sandbox/execute";

export interface FakeContextInit extends Partial<Omit<ModelRunContext, "messages">> {
  /** User/assistant turns; a plain string is one user message. */
  messages?: (string | Partial<ModelMessage>)[];
  /** Files readable with readFileText (file_id → text). */
  fileTexts?: Record<string, string>;
  /** Passages for searchFiles; ranked by shared words with the query. */
  passages?: { file_id: string; file_name: string; text: string }[];
}

export interface FakeContext extends ModelRunContext {
  written: { id: string; filename: string; data: Uint8Array }[];
  searches: { query: string; maxResults: number }[];
  controller: AbortController;
}

export function fakeContext(init: FakeContextInit = {}): FakeContext {
  const { messages = [], fileTexts = {}, passages = [], ...rest } = init;
  const controller = new AbortController();
  const written: FakeContext["written"] = [];
  const searches: FakeContext["searches"] = [];
  const msgs: ModelMessage[] = messages.map((m, i) => ({
    id: `msg_${i + 1}`,
    role: "user",
    text: "",
    imageFileIds: [],
    images: [],
    runId: null,
    attachments: [],
    created_at: 1_700_000_000 + i,
    ...(typeof m === "string" ? { text: m } : m),
  }));
  const ctx: FakeContext = {
    generation: "v2",
    runId: "run_test",
    threadId: "thread_test",
    assistantId: "asst_test",
    model: "gpt-4o",
    instructions: "",
    tools: [],
    toolChoice: "auto",
    responseFormat: "auto",
    temperature: null,
    topP: null,
    maxCompletionTokens: null,
    maxPromptTokens: null,
    parallelToolCalls: true,
    messages: msgs,
    priorFunctionCalls: [],
    codeInterpreterFiles: [],
    async searchFiles(query, maxResults) {
      searches.push({ query, maxResults });
      const q = new Set(query.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []);
      const scored: FileSearchHit[] = passages
        .map((p) => {
          const words = new Set(p.text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []);
          const shared = [...q].filter((w) => words.has(w)).length;
          return { ...p, score: q.size ? shared / q.size : 0 };
        })
        .filter((h) => h.score > 0)
        .sort((a, b) => b.score - a.score);
      return scored.slice(0, maxResults);
    },
    async readFileText(fileId, maxBytes) {
      const text = fileTexts[fileId];
      if (text === undefined) throw new Error(`no such file: ${fileId}`);
      return maxBytes === undefined ? text : text.slice(0, maxBytes);
    },
    async readFile(fileId, maxBytes) {
      const text = fileTexts[fileId];
      if (text === undefined) return null;
      const bytes = new TextEncoder().encode(text);
      return bytes.byteLength > maxBytes ? null : { filename: fileId, bytes };
    },
    usageSoFar: { prompt_tokens: 0, completion_tokens: 0 },
    codeSandbox: OFF_STATUS,
    async executeCode() {
      throw new Error("the fake context has no code sandbox");
    },
    async writeFile(filename, data) {
      const id = `assistant-file${written.length + 1}`;
      written.push({ id, filename, data });
      return { id, filename };
    },
    signal: controller.signal,
    written,
    searches,
    controller,
    ...rest,
  };
  return ctx;
}

export async function collect(events: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

/** The text parts of the (single) message in `events`, as the engine would assemble them. */
export function messageTextParts(events: ModelEvent[]): string[] {
  const parts: string[] = [];
  let open = false;
  for (const e of events) {
    if (e.type === "message.text") {
      if (!open) parts.push("");
      parts[parts.length - 1] += e.value;
      open = true;
    } else if (e.type === "message.image") open = false;
  }
  return parts;
}
