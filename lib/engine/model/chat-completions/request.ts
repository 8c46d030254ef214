/**
 * The chat-completions request for a run: URL per endpoint kind, the system message, the
 * conversation (with images), tools, tool_choice and sampling parameters.
 */
import type { ModelMessage, ModelRunContext, ResponseFormat, ToolChoice, ToolDefinition } from "../types";

export type ChatApi = "azure-deployment" | "azure-v1" | "openai-compatible";

export type ChatContentPart =
  { type: "text"; text: string } | { type: "image_url"; image_url: { url: string; detail?: string } };

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | ChatContentPart[] }
  | {
      role: "assistant";
      content: string | null;
      tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
    }
  | { role: "tool"; tool_call_id: string; content: string };

export interface ChatTool {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type ChatToolChoice = "auto" | "none" | "required" | { type: "function"; function: { name: string } };

/** The chat-completions URL for `model` (the assistant's model: a deployment or model name). */
export function chatUrl(api: ChatApi, endpoint: string, apiVersion: string, model: string): string {
  const base = endpoint.replace(/\/+$/, "");
  switch (api) {
    case "azure-deployment":
      return `${base.replace(/\/openai$/, "")}/openai/deployments/${encodeURIComponent(model)}/chat/completions?api-version=${encodeURIComponent(apiVersion)}`;
    case "azure-v1":
      return `${base.replace(/\/openai(\/v1)?$/, "")}/openai/v1/chat/completions`;
    case "openai-compatible":
      return `${base.replace(/\/chat\/completions$/, "")}/chat/completions`;
  }
}

/** The name of the engine's own search tool: `file_search`, unless an assistant function took it. */
export function searchToolName(tools: ToolDefinition[]): string {
  const taken = new Set(tools.flatMap((t) => (t.type === "function" ? [t.function.name] : [])));
  return taken.has("file_search") ? "engine_file_search" : "file_search";
}

/** The name of the engine's code tool: `python`, unless an assistant function took it. */
export function codeToolName(tools: ToolDefinition[]): string {
  const taken = new Set(tools.flatMap((t) => (t.type === "function" ? [t.function.name] : [])));
  return taken.has("python") ? "engine_python" : "python";
}

/** The function a real model calls to run code in the thread's sandbox. */
export function codeTool(name: string): ChatTool {
  return {
    type: "function",
    function: {
      name,
      description:
        "Run Python 3 in a stateful sandbox (variables persist between calls on this conversation). numpy, pandas and matplotlib are installed; there is no network. Files are in /mnt/data: read the user's files there, and write files the user should download there, then link them as sandbox:/mnt/data/<name>. Matplotlib figures (plt.show()) are shown to the user. Returns stdout, stderr and any error.",
      parameters: {
        type: "object",
        properties: { code: { type: "string", description: "The Python code to run." } },
        required: ["code"],
        additionalProperties: false,
      },
    },
  };
}

export function chatTools(tools: ToolDefinition[], offerSearch: boolean): ChatTool[] {
  const out: ChatTool[] = [];
  for (const t of tools) {
    if (t.type !== "function") continue;
    const fn: ChatTool["function"] = { name: t.function.name };
    if (t.function.description) fn.description = t.function.description;
    if (t.function.parameters) fn.parameters = t.function.parameters;
    if (typeof t.function.strict === "boolean") fn.strict = t.function.strict;
    out.push({ type: "function", function: fn });
  }
  if (offerSearch)
    out.push({
      type: "function",
      function: {
        name: searchToolName(tools),
        description:
          "Search the files attached to this assistant and thread. Returns the best-matching passages, each after a source marker such as 【0:1†file.pdf】 to cite.",
        parameters: {
          type: "object",
          properties: { query: { type: "string", description: "What to look for, in a few words." } },
          required: ["query"],
        },
      },
    });
  return out;
}

/**
 * The run's tool_choice for this call. A forced choice (required, a named function, file_search)
 * applies to the run's first call only, as the model would otherwise call tools forever.
 */
export function chatToolChoice(
  choice: ToolChoice,
  searchName: string | null,
  firstCall: boolean,
  codeName: string | null = null,
): ChatToolChoice | undefined {
  if (choice === "none") return "none";
  if (!firstCall || choice === "auto") return "auto";
  if (choice === "required") return "required";
  if (choice.type === "function") return { type: "function", function: { name: choice.function.name } };
  if (choice.type === "file_search" && searchName)
    return { type: "function", function: { name: searchName } };
  if (choice.type === "code_interpreter" && codeName)
    return { type: "function", function: { name: codeName } };
  return "auto"; // code_interpreter without a sandbox: the run's steps say it cannot run
}

export function chatResponseFormat(format: ResponseFormat): Record<string, unknown> | undefined {
  if (format === "auto") return undefined;
  return format as unknown as Record<string, unknown>;
}

const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

/** Images above this are not inlined (Azure OpenAI takes up to 20 MB per image). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** A thread message as a chat message; image_file parts are inlined as data URLs. */
export async function chatMessage(
  m: ModelMessage,
  readFile: ModelRunContext["readFile"],
): Promise<ChatMessage> {
  if (m.role === "assistant") return { role: "assistant", content: m.text };
  if (m.images.length === 0) return { role: "user", content: m.text };
  const parts: ChatContentPart[] = [];
  if (m.text) parts.push({ type: "text", text: m.text });
  for (const img of m.images) {
    const detail = img.detail ? { detail: img.detail } : {};
    if (img.type === "image_url") {
      parts.push({ type: "image_url", image_url: { url: img.url, ...detail } });
      continue;
    }
    const file = await readFile(img.file_id, MAX_IMAGE_BYTES);
    const mime = file ? IMAGE_TYPES[file.filename.split(".").pop()?.toLowerCase() ?? ""] : undefined;
    if (!file || !mime) {
      parts.push({
        type: "text",
        text: `[The image file ${img.file_id} could not be sent to the model: ${file ? "not a PNG, JPEG, GIF or WebP image" : "missing or larger than 20 MB"}.]`,
      });
      continue;
    }
    parts.push({
      type: "image_url",
      image_url: { url: `data:${mime};base64,${Buffer.from(file.bytes).toString("base64")}`, ...detail },
    });
  }
  return { role: "user", content: parts };
}

/** What the engine adds to the assistant's instructions, so the model knows its tools' limits. */
export function systemNotes(opts: {
  search: string | null;
  codeInterpreter: boolean;
  /** The code tool's name when a sandbox runs code; null when code interpreter cannot run. */
  code?: string | null;
}): string[] {
  const notes: string[] = [];
  if (opts.search)
    notes.push(
      `When the answer may be in the attached files, call ${opts.search}. Cite what you use with the source marker printed before each passage, exactly as given (for example 【0:1†file.pdf】), right after the sentence it supports.`,
    );
  if (opts.codeInterpreter && opts.code)
    notes.push(
      `To compute, analyse files or draw charts, call ${opts.code} with Python code; it really runs, and you see its output. Base what you say on that output. Link files you wrote as sandbox:/mnt/data/<name>.`,
    );
  else if (opts.codeInterpreter)
    notes.push(
      "Code interpreter is not available here: you cannot run code. If asked to run code, you may write it, but say plainly that it was not run, and never invent its output.",
    );
  return notes;
}
