/**
 * The chat-completions driver: runs the engine's assistants on a real chat model (an Azure OpenAI
 * deployment, the Azure OpenAI v1 endpoint, or any OpenAI-compatible server). The engine keeps the
 * protocol (run states, steps, messages, streaming); this model turns a run into chat-completions
 * calls and their answers back into model events. See ./README.md.
 */
import type {
  FileSearchHit,
  Model,
  ModelEvent,
  ModelRunContext,
  PlannedAnnotation,
  PlannedToolCall,
} from "../types";
import { CitationScanner } from "./citations";
import {
  chatMessage,
  chatResponseFormat,
  chatToolChoice,
  chatTools,
  chatUrl,
  searchToolName,
  codeTool,
  codeToolName,
  systemNotes,
  type ChatApi,
  type ChatMessage,
} from "./request";
import { streamChatCompletion, UpstreamError, type UpstreamOptions } from "./upstream";

export type { ChatApi } from "./request";
export { chatUrl } from "./request";

export interface ChatCompletionsOptions {
  api: ChatApi;
  /** azure-*: `https://<resource>.openai.azure.com`; openai-compatible: the base URL (`http://localhost:11434/v1`). */
  endpoint: string;
  /** For azure-deployment. Default 2024-10-21. */
  apiVersion?: string;
  /** `api-key` for azure-*, `Authorization: Bearer` for openai-compatible. */
  apiKey?: string | null;
  /** Extra request headers, asked for on every call (an Entra bearer token, …). Never logged. */
  headers?: () => Promise<Record<string, string>> | Record<string, string>;
  /** What the header shows ("gpt-4o on my-resource"). */
  label?: string;
  maxRetries?: number;
  maxRetryDelayMs?: number;
  requestTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** Rounds of file search a run may make before the model must answer. Default 4. */
  maxSearchRounds?: number;
  /** Rounds of code execution a run may make before the model must answer. Default 8. */
  maxCodeRounds?: number;
  fetch?: typeof fetch;
}

export const DEFAULT_CHAT_API_VERSION = "2024-10-21";

/** What a run remembers between its turns (a function call ends a turn; its outputs start the next). */
interface RunMemory {
  /** The chat messages this run added after the thread's messages: assistant turns and tool results. */
  transcript: ChatMessage[];
  /** Upstream ids of the function calls awaiting outputs, in the order of the run's required_action. */
  pendingCallIds: string[];
  /** `n:m` of each marker → the hit it stands for. */
  hits: Map<string, FileSearchHit>;
  searchCalls: number;
  calls: number;
  noticeGiven: boolean;
  /** Files the run's code wrote: name under /mnt/data → engine file id (for sandbox: links). */
  files: Map<string, string>;
}

const MEMORY_LIMIT = 500;

const CODE_INTERPRETER_NOTICE =
  "Code interpreter is not available on this model: the engine's chat-completions driver cannot run code. " +
  "The run continues without it. Nothing was executed, and no output or files were produced.";

/** What the model sees of an execution: enough to reason on, not a flood of output. */
const MAX_CODE_RESULT_CHARS = 20_000;

function clipForModel(text: string): string {
  return text.length > MAX_CODE_RESULT_CHARS
    ? `${text.slice(0, MAX_CODE_RESULT_CHARS)}\n[output cut at ${MAX_CODE_RESULT_CHARS} characters]`
    : text;
}

/** The code of a python tool call: `{"code": "..."}`, or the raw arguments when a model sent bare code. */
function codeOf(args: string): string {
  try {
    const parsed = JSON.parse(args || "{}") as { code?: unknown };
    return typeof parsed.code === "string" ? parsed.code : "";
  } catch {
    return args;
  }
}

/** `sandbox:/mnt/data/<name>` links to files this run's code wrote become file_path annotations. */
function sandboxLinks(text: string, files: Map<string, string>): PlannedAnnotation[] {
  const out: PlannedAnnotation[] = [];
  if (files.size === 0) return out;
  const prefix = "sandbox:/mnt/data/";
  for (let i = text.indexOf(prefix); i >= 0; i = text.indexOf(prefix, i + prefix.length)) {
    let end = i + prefix.length;
    while (end < text.length && !/[\s)\]"'<>`]/.test(text[end]!)) end++;
    const name = text.slice(i + prefix.length, end);
    const fileId = files.get(name) ?? files.get(decodeURIComponentSafe(name));
    if (fileId)
      out.push({
        type: "file_path",
        text: text.slice(i, end),
        start_index: i,
        end_index: end,
        file_id: fileId,
      });
  }
  return out;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function newCallId(): string {
  return `call_${Math.random().toString(36).slice(2, 14)}`;
}

export function createChatCompletionsModel(options: ChatCompletionsOptions): Model {
  const memory = new Map<string, RunMemory>();
  const upstream: UpstreamOptions = {
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    maxRetries: options.maxRetries ?? 2,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 120_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
    secrets: () => (options.apiKey ? [options.apiKey] : []),
  };
  const label = options.label ?? `chat completions on ${new URL(options.endpoint).host}`;

  async function authHeaders(): Promise<Record<string, string>> {
    const h: Record<string, string> = {};
    if (options.apiKey) {
      if (options.api === "openai-compatible") h.authorization = `Bearer ${options.apiKey}`;
      else h["api-key"] = options.apiKey;
    }
    return { ...h, ...(options.headers ? await options.headers() : {}) };
  }

  function remember(runId: string): RunMemory {
    let m = memory.get(runId);
    if (!m) {
      m = {
        transcript: [],
        pendingCallIds: [],
        hits: new Map(),
        searchCalls: 0,
        calls: 0,
        noticeGiven: false,
        files: new Map(),
      };
      memory.set(runId, m);
      if (memory.size > MEMORY_LIMIT) memory.delete(memory.keys().next().value!);
    }
    return m;
  }

  async function* run(ctx: ModelRunContext): AsyncGenerator<ModelEvent> {
    const known = memory.has(ctx.runId);
    const mem = remember(ctx.runId);
    let paused = false;
    try {
      const hasSearch = ctx.tools.some((t) => t.type === "file_search");
      const hasCode = ctx.tools.some((t) => t.type === "code_interpreter");
      const searchName = hasSearch ? searchToolName(ctx.tools) : null;
      const codeName = hasCode && ctx.codeSandbox.available ? codeToolName(ctx.tools) : null;
      const maxResults = Math.min(
        50,
        Math.max(
          1,
          ctx.tools.flatMap((t) =>
            t.type === "file_search" ? [t.file_search?.max_num_results ?? 20] : [],
          )[0] ?? 20,
        ),
      );

      if (hasCode && !codeName && !mem.noticeGiven) {
        mem.noticeGiven = true;
        yield { type: "usage", prompt_tokens: 0, completion_tokens: 0 };
        yield {
          type: "tool_calls",
          calls: [
            {
              type: "code_interpreter",
              input: `# Not run: ${CODE_INTERPRETER_NOTICE.split(":")[0]}.`,
              outputs: [{ type: "logs", logs: CODE_INTERPRETER_NOTICE }],
            },
          ],
        };
      }

      // The conversation: the thread's messages, then what this run added (from memory when it has
      // it, else rebuilt from the submitted function calls, e.g. in another process).
      const conversation: ChatMessage[] = [];
      const instructions = [
        ctx.instructions.trim(),
        ...systemNotes({ search: searchName, codeInterpreter: hasCode, code: codeName }),
      ]
        .filter(Boolean)
        .join("\n\n");
      if (instructions) conversation.push({ role: "system", content: instructions });
      for (const m of ctx.messages) {
        if (known && m.runId === ctx.runId) continue;
        conversation.push(await chatMessage(m, ctx.readFile));
      }
      if (known) {
        conversation.push(...mem.transcript);
        const outputs = ctx.priorFunctionCalls.slice(-mem.pendingCallIds.length);
        const pending = mem.pendingCallIds.map((id, i) => ({ id, output: outputs[i]?.output ?? "" }));
        for (const p of pending) {
          const msg: ChatMessage = { role: "tool", tool_call_id: p.id, content: p.output };
          conversation.push(msg);
          mem.transcript.push(msg);
        }
        mem.pendingCallIds = [];
      } else if (ctx.priorFunctionCalls.length > 0) {
        conversation.push({
          role: "assistant",
          content: null,
          tool_calls: ctx.priorFunctionCalls.map((c) => ({
            id: c.id,
            type: "function" as const,
            function: { name: c.name, arguments: c.arguments },
          })),
        });
        for (const c of ctx.priorFunctionCalls)
          conversation.push({ role: "tool", tool_call_id: c.id, content: c.output });
      }

      const url = chatUrl(
        options.api,
        options.endpoint,
        options.apiVersion ?? DEFAULT_CHAT_API_VERSION,
        ctx.model,
      );
      const tools = chatTools(ctx.tools, hasSearch);
      if (codeName) tools.push(codeTool(codeName));
      let completionTokens = ctx.usageSoFar.completion_tokens;
      let searchRounds = 0;
      let codeRounds = 0;

      for (;;) {
        const firstCall = mem.calls === 0;
        mem.calls++;
        const body: Record<string, unknown> = {
          messages: conversation,
          stream: true,
          stream_options: { include_usage: true },
        };
        if (options.api !== "azure-deployment") body.model = ctx.model;
        if (tools.length > 0) {
          body.tools = tools;
          body.tool_choice =
            searchRounds >= (options.maxSearchRounds ?? 4) || codeRounds >= (options.maxCodeRounds ?? 8)
              ? "none"
              : chatToolChoice(ctx.toolChoice, searchName, firstCall, codeName);
          body.parallel_tool_calls = ctx.parallelToolCalls;
        }
        if (ctx.temperature !== null) body.temperature = ctx.temperature;
        if (ctx.topP !== null) body.top_p = ctx.topP;
        const format = chatResponseFormat(ctx.responseFormat);
        if (format) body.response_format = format;
        if (ctx.maxCompletionTokens !== null) {
          const remaining = ctx.maxCompletionTokens - completionTokens;
          if (remaining <= 0) {
            yield { type: "incomplete", reason: "max_completion_tokens" };
            return;
          }
          body[options.api === "openai-compatible" ? "max_tokens" : "max_completion_tokens"] = remaining;
        }

        let text = "";
        let scanner: CitationScanner | null = null;
        const calls = new Map<number, { id: string; name: string; arguments: string }>();
        let finish: string | null = null;
        let reported: { prompt_tokens: number; completion_tokens: number } | null = null;

        for await (const chunk of streamChatCompletion(
          url,
          await authHeaders(),
          body,
          ctx.signal,
          upstream,
        )) {
          if (chunk.usage && typeof chunk.usage.prompt_tokens === "number")
            reported = {
              prompt_tokens: chunk.usage.prompt_tokens,
              completion_tokens: chunk.usage.completion_tokens ?? 0,
            };
          const choice = chunk.choices?.[0];
          if (!choice) continue;
          const delta = choice.delta;
          const piece = (delta?.content ?? "") + (delta?.refusal ?? "");
          if (piece) {
            if (!scanner) {
              scanner = new CitationScanner(mem.hits);
              yield { type: "message.start" };
            }
            text += piece;
            yield { type: "message.text", value: piece };
            for (const annotation of scanner.push(piece)) yield { type: "message.annotation", annotation };
          }
          for (const tc of delta?.tool_calls ?? []) {
            const index = tc.index ?? calls.size;
            const call = calls.get(index) ?? { id: "", name: "", arguments: "" };
            if (tc.id) call.id = tc.id;
            if (tc.function?.name) call.name += tc.function.name;
            if (tc.function?.arguments) call.arguments += tc.function.arguments;
            calls.set(index, call);
          }
          if (choice.finish_reason) finish = choice.finish_reason;
        }
        if (ctx.signal.aborted) return;
        // Before message.end / tool_calls: the engine records it on the step this call produced.
        if (reported) {
          completionTokens += reported.completion_tokens;
          yield { type: "usage", ...reported };
        }
        if (scanner) {
          for (const annotation of sandboxLinks(text, mem.files))
            yield { type: "message.annotation", annotation };
          yield { type: "message.end" };
        }

        const toolCalls = [...calls.values()].filter((c) => c.name);
        for (const c of toolCalls) c.id ||= newCallId();
        if (toolCalls.length === 0) {
          mem.transcript.push({ role: "assistant", content: text });
          if (finish === "length") yield { type: "incomplete", reason: "max_completion_tokens" };
          else if (finish === "content_filter")
            yield {
              type: "fail",
              code: "invalid_prompt",
              message:
                "The model endpoint's content filter stopped the answer (finish_reason content_filter).",
            };
          return;
        }

        const assistantTurn: ChatMessage = {
          role: "assistant",
          content: text || null,
          tool_calls: toolCalls.map((c) => ({
            id: c.id,
            type: "function",
            function: { name: c.name, arguments: c.arguments },
          })),
        };
        conversation.push(assistantTurn);
        mem.transcript.push(assistantTurn);

        const searches = toolCalls.filter((c) => c.name === searchName);
        const codeCalls = toolCalls.filter((c) => c.name === codeName);
        const functions = toolCalls.filter((c) => c.name !== searchName && c.name !== codeName);
        if (searches.length > 0) {
          searchRounds++;
          const planned: PlannedToolCall[] = [];
          for (const call of searches) {
            const n = mem.searchCalls++;
            let query = "";
            try {
              const args = JSON.parse(call.arguments || "{}") as { query?: unknown };
              query = typeof args.query === "string" ? args.query : "";
            } catch {
              query = call.arguments;
            }
            const hits = query.trim() ? await ctx.searchFiles(query, maxResults) : [];
            if (ctx.signal.aborted) return;
            hits.forEach((h, m) => mem.hits.set(`${n}:${m}`, h));
            planned.push({ type: "file_search", results: hits });
            const content =
              hits.length === 0
                ? `No passage of the attached files matches "${query}".`
                : `Passages for "${query}" (cite with the marker before each):\n\n` +
                  hits.map((h, m) => `【${n}:${m}†${h.file_name}】\n${h.text}`).join("\n\n");
            const result: ChatMessage = { role: "tool", tool_call_id: call.id, content };
            conversation.push(result);
            mem.transcript.push(result);
          }
          yield { type: "tool_calls", calls: planned };
        }
        if (codeCalls.length > 0) {
          codeRounds++;
          for (const call of codeCalls) {
            const code = codeOf(call.arguments);
            const ran = code.trim() ? await ctx.executeCode(code) : null;
            if (ctx.signal.aborted) return;
            for (const f of ran?.files ?? []) mem.files.set(f.name, f.file_id);
            yield {
              type: "tool_calls",
              calls: [
                {
                  type: "code_interpreter",
                  input: code,
                  outputs: ran ? ran.outputs : [{ type: "logs", logs: "No code was given: nothing ran." }],
                },
              ],
            };
            const result: ChatMessage = {
              role: "tool",
              tool_call_id: call.id,
              content: ran ? clipForModel(ran.text) : 'No code was given. Call again with {"code": "..."}.',
            };
            conversation.push(result);
            mem.transcript.push(result);
          }
        }
        if (functions.length > 0) {
          mem.pendingCallIds = functions.map((f) => f.id);
          paused = true;
          yield {
            type: "tool_calls",
            calls: functions.map((f) => ({ type: "function", name: f.name, arguments: f.arguments })),
          };
          return;
        }
      }
    } catch (err) {
      if (ctx.signal.aborted) return;
      if (err instanceof UpstreamError) {
        yield { type: "fail", code: err.code, message: err.message };
        return;
      }
      throw err;
    } finally {
      if (!paused) memory.delete(ctx.runId);
    }
  }

  return {
    id: "chat-completions",
    label,
    enforcesCompletionLimit: true,
    run,
  };
}
