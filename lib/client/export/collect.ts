/**
 * Reading whole objects through the SDK: every page of a list, a thread with its messages, runs and
 * run steps, the file ids they mention. Shared by the thread export and the connection backup.
 */
import type { AzureOpenAI } from "openai";
import type { Message } from "openai/resources/beta/threads/messages";
import type { Run } from "openai/resources/beta/threads/runs/runs";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import type { Thread } from "openai/resources/beta/threads/threads";

/** A run with its steps, oldest step first. */
export interface RunWithSteps {
  run: Run;
  steps: RunStep[];
}

/** One thread as the archive and the JSON export keep it (everything oldest first). */
export interface ThreadDump {
  thread: Thread;
  messages: Message[];
  runs: RunWithSteps[];
}

const MAX_ITEMS = 10_000;

async function all<T>(pages: AsyncIterable<T>, signal?: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  for await (const item of pages) {
    out.push(item);
    if (out.length >= MAX_ITEMS || signal?.aborted) break;
  }
  return out;
}

export async function dumpThread(
  client: AzureOpenAI,
  threadId: string,
  signal?: AbortSignal,
): Promise<ThreadDump> {
  const thread = await client.beta.threads.retrieve(threadId, { signal });
  const messages = await all(
    client.beta.threads.messages.list(threadId, { limit: 100, order: "asc" }, { signal }),
    signal,
  );
  const runList = await all(
    client.beta.threads.runs.list(threadId, { limit: 100, order: "asc" }, { signal }),
    signal,
  );
  const runs: RunWithSteps[] = [];
  for (const run of runList) {
    const steps = await all(
      client.beta.threads.runs.steps.list(
        run.id,
        { thread_id: threadId, limit: 100, order: "asc" },
        { signal },
      ),
      signal,
    );
    runs.push({ run, steps });
  }
  return { thread, messages, runs };
}

export interface FileRefs {
  /** Written by the assistant: images, file_path annotations, code-interpreter image outputs. */
  generated: Set<string>;
  /** Given by the person: attachments, images in user messages, cited files. */
  referenced: Set<string>;
}

export function fileRefsOf(dump: Pick<ThreadDump, "messages" | "runs" | "thread">): FileRefs {
  const generated = new Set<string>();
  const referenced = new Set<string>();
  for (const id of dump.thread.tool_resources?.code_interpreter?.file_ids ?? []) referenced.add(id);
  for (const m of dump.messages) {
    for (const a of m.attachments ?? []) if (a.file_id) referenced.add(a.file_id);
    for (const part of m.content) {
      if (part.type === "image_file")
        (m.role === "assistant" ? generated : referenced).add(part.image_file.file_id);
      if (part.type === "text")
        for (const ann of part.text.annotations) {
          if (ann.type === "file_path") generated.add(ann.file_path.file_id);
          if (ann.type === "file_citation") referenced.add(ann.file_citation.file_id);
        }
    }
  }
  for (const { steps } of dump.runs)
    for (const step of steps) {
      if (step.step_details.type !== "tool_calls") continue;
      for (const call of step.step_details.tool_calls) {
        if (call.type === "code_interpreter")
          for (const out of call.code_interpreter.outputs)
            if (out.type === "image") generated.add(out.image.file_id);
        if (call.type === "file_search")
          for (const r of call.file_search.results ?? []) referenced.add(r.file_id);
      }
    }
  for (const id of generated) referenced.delete(id);
  return { generated, referenced };
}

/** The whole content of a file, or null with a reason when it cannot be read. */
export async function readFileBytes(
  client: AzureOpenAI,
  fileId: string,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const res = await client.files.content(fileId, { signal });
  return new Uint8Array(await res.arrayBuffer());
}

export function isNotFound(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { status?: unknown }).status === 404;
}

export function errorMessage(err: unknown): string {
  if (typeof err === "object" && err !== null) {
    const e = err as { status?: unknown; message?: unknown };
    const status = typeof e.status === "number" ? `${e.status} ` : "";
    if (typeof e.message === "string") return `${status}${e.message}`.trim();
  }
  return String(err);
}

/** Base64 of bytes, in slices (String.fromCharCode takes a bounded number of arguments). */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
