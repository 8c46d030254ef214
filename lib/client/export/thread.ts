/**
 * Export one thread: as JSON (thread, messages, runs with their steps, the files the assistant
 * generated with their bytes) and as a readable Markdown transcript.
 */
import type { AzureOpenAI } from "openai";
import { formatTimestamp } from "../time";
import type { FileObject } from "openai/resources/files";
import type { Message } from "openai/resources/beta/threads/messages";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import {
  dumpThread,
  errorMessage,
  fileRefsOf,
  readFileBytes,
  toBase64,
  type RunWithSteps,
  type ThreadDump,
} from "./collect";

export const THREAD_EXPORT_FORMAT = "assistants-playground.thread";
/** Generated files larger than this are listed without their bytes. */
export const MAX_EMBEDDED_FILE_BYTES = 20 * 1024 * 1024;

export interface ExportedFile {
  id: string;
  /** null when the file could not be read (deleted, refused). */
  file: FileObject | null;
  content_base64?: string;
  note?: string;
}

export interface ThreadExport extends ThreadDump {
  format: typeof THREAD_EXPORT_FORMAT;
  version: 1;
  exportedAt: string;
  source: { connection: string; apiVersion: string };
  /** Local title in this browser, if any. */
  title: string | null;
  files: ExportedFile[];
}

export async function exportThread(
  client: AzureOpenAI,
  threadId: string,
  options: {
    connection: string;
    apiVersion: string;
    title?: string | null;
    signal?: AbortSignal;
    now?: Date;
  },
): Promise<ThreadExport> {
  const dump = await dumpThread(client, threadId, options.signal);
  const files: ExportedFile[] = [];
  for (const id of fileRefsOf(dump).generated) {
    try {
      const file = await client.files.retrieve(id, { signal: options.signal });
      if (file.bytes > MAX_EMBEDDED_FILE_BYTES) {
        files.push({ id, file, note: `Larger than ${MAX_EMBEDDED_FILE_BYTES} bytes: not embedded.` });
        continue;
      }
      files.push({ id, file, content_base64: toBase64(await readFileBytes(client, id, options.signal)) });
    } catch (err) {
      files.push({ id, file: null, note: `Could not be read: ${errorMessage(err)}` });
    }
  }
  return {
    format: THREAD_EXPORT_FORMAT,
    version: 1,
    exportedAt: (options.now ?? new Date()).toISOString(),
    source: { connection: options.connection, apiVersion: options.apiVersion },
    title: options.title ?? null,
    ...dump,
    files,
  };
}

function when(seconds: number | null | undefined): string {
  return seconds ? formatTimestamp(seconds, { seconds: true }) : "—";
}

function fence(text: string, lang = ""): string {
  // A fence longer than any backtick run inside, so the content can never close it.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = "`".repeat(longest + 1);
  return `${f}${lang}\n${text.replace(/\n$/, "")}\n${f}`;
}

function fileLabel(id: string, files: Map<string, ExportedFile>): string {
  const name = files.get(id)?.file?.filename;
  return name ? `${name} (${id})` : id;
}

function messageBody(m: Message, files: Map<string, ExportedFile>): string {
  const parts: string[] = [];
  for (const part of m.content) {
    if (part.type === "text") {
      let text = part.text.value;
      const notes: string[] = [];
      for (const ann of part.text.annotations) {
        if (ann.type === "file_citation")
          notes.push(`${ann.text} — cites ${fileLabel(ann.file_citation.file_id, files)}`);
        if (ann.type === "file_path")
          notes.push(`${ann.text} — file ${fileLabel(ann.file_path.file_id, files)}`);
      }
      if (notes.length) text += `\n\n${notes.map((n) => `> ${n}`).join("\n")}`;
      parts.push(text);
    } else if (part.type === "image_file") {
      parts.push(`*[image: ${fileLabel(part.image_file.file_id, files)}]*`);
    } else if (part.type === "image_url") {
      parts.push(`![image](${part.image_url.url})`);
    } else if (part.type === "refusal") {
      parts.push(`*Refused:* ${part.refusal}`);
    }
  }
  const attachments = (m.attachments ?? []).filter((a) => a.file_id);
  if (attachments.length)
    parts.push(
      `Attachments: ${attachments
        .map(
          (a) =>
            `${fileLabel(a.file_id!, files)} (${(a.tools ?? []).map((t) => t.type).join(", ") || "no tool"})`,
        )
        .join("; ")}`,
    );
  return parts.join("\n\n") || "*(empty)*";
}

function stepBlock(step: RunStep, files: Map<string, ExportedFile>): string {
  if (step.step_details.type !== "tool_calls") return "";
  const out: string[] = [];
  for (const call of step.step_details.tool_calls) {
    if (call.type === "code_interpreter") {
      out.push(`**Code interpreter** (${step.status})\n\n${fence(call.code_interpreter.input, "python")}`);
      for (const o of call.code_interpreter.outputs) {
        if (o.type === "logs") out.push(`Logs:\n\n${fence(o.logs)}`);
        if (o.type === "image") out.push(`*[image output: ${fileLabel(o.image.file_id, files)}]*`);
      }
    } else if (call.type === "file_search") {
      const results = call.file_search.results ?? [];
      out.push(
        `**File search** (${step.status})${results.length ? "" : ": no results recorded"}` +
          results.map((r) => `\n- ${r.file_name} (${r.file_id}) — score ${r.score.toFixed(3)}`).join(""),
      );
    } else if (call.type === "function") {
      out.push(
        `**Function \`${call.function.name}\`** (${step.status})\n\nArguments:\n\n${fence(call.function.arguments || "{}", "json")}` +
          (call.function.output !== null
            ? `\n\nOutput:\n\n${fence(call.function.output)}`
            : "\n\nNo output submitted."),
      );
    }
  }
  return out.join("\n\n");
}

function runHeader({ run, steps }: RunWithSteps): string {
  const usage = run.usage
    ? ` · ${run.usage.total_tokens} tokens (prompt ${run.usage.prompt_tokens}, completion ${run.usage.completion_tokens})`
    : "";
  const lines = [
    `### Run \`${run.id}\` — ${run.status}`,
    "",
    `Model \`${run.model}\` · assistant \`${run.assistant_id}\` · started ${when(run.started_at ?? run.created_at)}${usage} · ${steps.length} step${steps.length === 1 ? "" : "s"}`,
  ];
  if (run.last_error) lines.push("", `**Error** \`${run.last_error.code}\`: ${run.last_error.message}`);
  if (run.incomplete_details?.reason) lines.push("", `Incomplete: ${run.incomplete_details.reason}`);
  return lines.join("\n");
}

function messageHeading(m: Message): string {
  return `#### ${m.role === "user" ? "User" : "Assistant"} · ${when(m.created_at)}${m.status && m.status !== "completed" ? ` · ${m.status}` : ""}`;
}

/** A readable transcript: the conversation in order, each run with its tool calls and the messages it wrote. */
export function threadToMarkdown(exp: ThreadExport): string {
  const files = new Map(exp.files.map((f) => [f.id, f]));
  const byId = new Map(exp.messages.map((m) => [m.id, m]));
  const out: string[] = [
    `# ${exp.title ? `${exp.title} — ` : ""}Thread \`${exp.thread.id}\``,
    "",
    `- Created: ${when(exp.thread.created_at)}`,
    `- Exported: ${exp.exportedAt.replace("T", " ").slice(0, 19)} UTC from connection \`${exp.source.connection}\` (api-version ${exp.source.apiVersion})`,
    `- ${exp.messages.length} message${exp.messages.length === 1 ? "" : "s"}, ${exp.runs.length} run${exp.runs.length === 1 ? "" : "s"}`,
  ];
  const meta = Object.entries((exp.thread.metadata ?? {}) as Record<string, string>);
  if (meta.length) out.push(`- Metadata: ${meta.map(([k, v]) => `${k}=${v}`).join(", ")}`);
  out.push("");

  const renderRun = (r: RunWithSteps): string => {
    const parts = [runHeader(r)];
    const written = new Set<string>();
    for (const step of r.steps) {
      if (step.step_details.type === "message_creation") {
        const m = byId.get(step.step_details.message_creation.message_id);
        if (m) {
          written.add(m.id);
          parts.push(`${messageHeading(m)}\n\n${messageBody(m, files)}`);
        }
      } else {
        const block = stepBlock(step, files);
        if (block) parts.push(block);
      }
    }
    // Messages of the run that no step points at (an upstream may omit steps).
    for (const m of exp.messages)
      if (m.run_id === r.run.id && !written.has(m.id))
        parts.push(`${messageHeading(m)}\n\n${messageBody(m, files)}`);
    return parts.join("\n\n");
  };
  // The messages' order is the backbone (created_at has one-second resolution): a run appears where
  // its first message is; a run that wrote none, after the messages that came before it.
  const runs = new Map(exp.runs.map((r) => [r.run.id, r]));
  const silent = exp.runs.filter((r) => !exp.messages.some((m) => m.run_id === r.run.id));
  const items: string[] = [];
  const done = new Set<string>();
  for (const m of exp.messages) {
    while (silent[0] && silent[0].run.created_at < m.created_at) items.push(renderRun(silent.shift()!));
    const r = m.run_id ? runs.get(m.run_id) : undefined;
    if (r) {
      if (!done.has(r.run.id)) {
        done.add(r.run.id);
        items.push(renderRun(r));
      }
    } else items.push(`${messageHeading(m)}\n\n${messageBody(m, files)}`);
  }
  for (const r of silent) items.push(renderRun(r));
  out.push("## Conversation", "", ...items.map((it) => `${it}\n`));

  if (exp.files.length) {
    out.push("## Generated files", "", "| id | name | bytes | note |", "| --- | --- | --- | --- |");
    for (const f of exp.files)
      out.push(
        `| \`${f.id}\` | ${(f.file?.filename ?? "—").replace(/\|/g, "\\|")} | ${f.file?.bytes ?? "—"} | ${f.note ?? (f.content_base64 ? "bytes in the JSON export" : "")} |`,
      );
    out.push("");
  }
  return out.join("\n");
}
