/**
 * Restoring a backup. Into the local engine everything is imported as it was — ids, runs and run
 * steps included — by the server (POST /api/playground/backup/restore). Into any other connection
 * the API is the only way in: assistants, files and vector stores are created anew (new ids), and
 * threads are replayed as messages; runs and run steps cannot be created through the API, so they
 * are not. The plan says which before anything starts.
 */
import type { AzureOpenAI } from "openai";
import type { AssistantCreateParams } from "openai/resources/beta/assistants";
import type { MessageCreateParams, MessageContentPartParam } from "openai/resources/beta/threads/messages";
import type { ThreadCreateParams } from "openai/resources/beta/threads/threads";
import { speaksGeneration } from "@/lib/protocol/api-versions";
import { PlaygroundHttpError } from "../errors";
import { errorMessage } from "./collect";
import type { BackupContents, ThreadIndexEntry } from "./archive";

export type RestoreMode = "exact" | "recreate";

export interface PlanItem {
  kind: "assistant" | "file" | "vector store" | "thread";
  id: string;
  label: string;
  /** What happens to it, in words. */
  action: string;
  /** In the exact mode: an object with this id is already there. */
  exists?: boolean;
}

export interface RestorePlan {
  mode: RestoreMode;
  target: { name: string; label: string };
  items: PlanItem[];
  /** What the person must know before confirming. */
  notes: string[];
  /** Objects (any kind, including messages, runs, steps) whose id already exists on the target. */
  collisions: string[];
}

export interface RestoreTarget {
  name: string;
  label: string;
  kind: string;
}

/** An api-version with v2 shapes (tool_resources, vector stores) for backups and restores. */
export function v2ApiVersion(connection: { apiVersion: string; apiVersions: readonly string[] }): string {
  const isV2 = (v: string) => speaksGeneration(v) === "v2";
  if (isV2(connection.apiVersion)) return connection.apiVersion;
  return connection.apiVersions.find(isV2) ?? connection.apiVersion;
}

export function modeFor(target: Pick<RestoreTarget, "kind">): RestoreMode {
  return target.kind === "local" ? "exact" : "recreate";
}

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** What a restore of `backup` into `target` will do. `collisions`: ids the target already has (exact mode). */
export function planRestore(
  backup: BackupContents,
  target: RestoreTarget,
  collisions: string[] = [],
): RestorePlan {
  const mode = modeFor(target);
  const taken = new Set(collisions);
  const bytes = backup.bytes;
  const runs = backup.threads.reduce((n, t) => n + t.runs.length, 0);
  const steps = backup.threads.reduce((n, t) => n + t.runs.reduce((m, r) => m + r.steps.length, 0), 0);
  const items: PlanItem[] = [];
  const exact = (id: string, what: string) =>
    taken.has(id) ? { action: "already exists: skipped", exists: true } : { action: what };

  for (const a of backup.assistants)
    items.push({
      kind: "assistant",
      id: a.id,
      label: a.name || a.id,
      ...(mode === "exact" ? exact(a.id, "created with the same id") : { action: "created anew (new id)" }),
    });
  for (const f of backup.files)
    items.push({
      kind: "file",
      id: f.id,
      label: f.filename,
      ...(!bytes.has(f.id)
        ? { action: "not in the archive (its content could not be read): not restored" }
        : mode === "exact"
          ? exact(f.id, "created with the same id and bytes")
          : { action: "uploaded anew (new id)" }),
    });
  for (const v of backup.vectorStores)
    items.push({
      kind: "vector store",
      id: v.vector_store.id,
      label: v.vector_store.name || v.vector_store.id,
      ...(mode === "exact"
        ? exact(
            v.vector_store.id,
            `created with the same id; ${plural(v.files.length, "file")} ingested again`,
          )
        : { action: `created anew with ${plural(v.files.length, "file")}` }),
    });
  for (const t of backup.threads) {
    const title = backup.manifest.threadIndex.find((e) => e.id === t.thread.id)?.title;
    items.push({
      kind: "thread",
      id: t.thread.id,
      label: title || t.thread.id,
      ...(mode === "exact"
        ? exact(
            t.thread.id,
            `created with the same id: ${plural(t.messages.length, "message")}, ${plural(t.runs.length, "run")} and their steps`,
          )
        : {
            action: `created anew; ${plural(replayable(t.messages).length, "message")} replayed${t.runs.length ? `; ${plural(t.runs.length, "run")} not recreated` : ""}`,
          }),
    });
  }

  const notes: string[] = [];
  if (mode === "exact") {
    notes.push(
      `Restoring into the local engine keeps everything: ids, messages, ${plural(runs, "run")} and ${plural(steps, "run step")} come back as they were.`,
    );
    notes.push(
      "Vector-store files are ingested again from their bytes; runs that were still active are restored as failed.",
    );
    if (collisions.length)
      notes.push(
        `${plural(collisions.length, "object")} of this backup already exist here (for example ${collisions.slice(0, 3).join(", ")}). Restoring skips them and keeps what is there.`,
      );
  } else {
    notes.push(
      `This connection cannot take ids or runs: assistants, files and vector stores are created anew with new ids, and threads are replayed as messages (user and assistant messages, in order).`,
    );
    notes.push(
      `Runs and run steps cannot be recreated through the API: ${plural(runs, "run")} and ${plural(steps, "run step")} stay only in the archive. Citations and generated-file links in replayed messages become plain text.`,
    );
  }
  if (backup.manifest.warnings.length)
    notes.push(`When the backup was made: ${backup.manifest.warnings.join(" ")}`);
  return { mode, target: { name: target.name, label: target.label }, items, notes, collisions };
}

/** Messages a thread replay can post: those with text or images. */
function replayable(messages: BackupContents["threads"][number]["messages"]) {
  return messages.filter((m) =>
    m.content.some((c) => c.type === "text" || c.type === "image_file" || c.type === "image_url"),
  );
}

export interface RestoreProgress {
  done: number;
  total: number;
  label: string;
}

export interface RestoreResult {
  mode: RestoreMode;
  /** source id → id on the target (same id in the exact mode). */
  ids: Record<string, string>;
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
  warnings: string[];
  /** Threads to list in the app's thread index, with their ids on the target. */
  threadIndex: ThreadIndexEntry[];
}

const UPLOAD_PURPOSES = new Set(["assistants", "vision", "batch", "fine-tune"]);

/** Recreates a backup through the API on a connection that cannot take ids (see the module comment). */
export async function restoreByRecreating(
  client: AzureOpenAI,
  backup: BackupContents,
  onProgress?: (p: RestoreProgress) => void,
): Promise<RestoreResult> {
  const ids: Record<string, string> = {};
  const warnings: string[] = [];
  const skipped: string[] = [];
  const created = { assistants: 0, files: 0, vectorStores: 0, threads: 0, messages: 0, runs: 0, steps: 0 };
  const total =
    backup.files.length + backup.vectorStores.length + backup.assistants.length + backup.threads.length;
  let done = 0;
  const step = (label: string) => onProgress?.({ done: done++, total, label });
  const mapped = (list: readonly string[] | undefined) =>
    (list ?? []).map((id) => ids[id]).filter((id): id is string => id !== undefined);
  /** One object: a refusal of that object is reported and the restore goes on; a refusal of the connection stops it. */
  const attempt = async (id: string, what: string, create: () => Promise<void>): Promise<void> => {
    try {
      await create();
    } catch (err) {
      const status = (err as { status?: unknown }).status;
      if (typeof status !== "number" || status === 401 || status === 403 || status >= 500) throw err;
      skipped.push(id);
      warnings.push(`${what} was not restored: ${errorMessage(err)}`);
    }
  };

  for (const f of backup.files) {
    step(`Uploading ${f.filename}`);
    const bytes = backup.bytes.get(f.id);
    if (!bytes) {
      skipped.push(f.id);
      warnings.push(`File ${f.id} (${f.filename}) has no content in the archive; not restored.`);
      continue;
    }
    const purpose = UPLOAD_PURPOSES.has(f.purpose) ? f.purpose : "assistants";
    await attempt(f.id, `File ${f.filename} (${f.id})`, async () => {
      const file = new File([bytes as BlobPart], f.filename);
      const up = await client.files.create({ file, purpose: purpose as "assistants" }, { maxRetries: 0 });
      ids[f.id] = up.id;
      created.files++;
    });
  }
  for (const { vector_store: vs, files } of backup.vectorStores) {
    step(`Creating vector store ${vs.name || vs.id}`);
    const chunking = files[0]?.chunking_strategy;
    await attempt(vs.id, `Vector store ${vs.name || vs.id}`, async () => {
      const made = await client.vectorStores.create(
        {
          name: vs.name ?? "",
          metadata: vs.metadata ?? {},
          ...(vs.expires_after ? { expires_after: vs.expires_after } : {}),
          file_ids: mapped(files.map((f) => f.id)),
          ...(chunking?.type === "static"
            ? { chunking_strategy: { type: "static", static: chunking.static } }
            : {}),
        },
        { maxRetries: 0 },
      );
      ids[vs.id] = made.id;
      created.vectorStores++;
    });
  }
  for (const a of backup.assistants) {
    step(`Creating assistant ${a.name || a.id}`);
    const body: AssistantCreateParams = {
      model: a.model,
      name: a.name,
      description: a.description,
      instructions: a.instructions,
      tools: a.tools,
      metadata: a.metadata ?? {},
      temperature: a.temperature,
      top_p: a.top_p,
      ...(a.response_format ? { response_format: a.response_format } : {}),
      tool_resources: {
        ...(a.tool_resources?.code_interpreter
          ? { code_interpreter: { file_ids: mapped(a.tool_resources.code_interpreter.file_ids) } }
          : {}),
        ...(a.tool_resources?.file_search
          ? { file_search: { vector_store_ids: mapped(a.tool_resources.file_search.vector_store_ids) } }
          : {}),
      },
    };
    await attempt(a.id, `Assistant ${a.name || a.id}`, async () => {
      const made = await client.beta.assistants.create(body, { maxRetries: 0 });
      ids[a.id] = made.id;
      created.assistants++;
    });
  }
  const threadIndex: ThreadIndexEntry[] = [];
  for (const t of backup.threads) {
    step(`Replaying thread ${t.thread.id}`);
    const tr = t.thread.tool_resources;
    const body: ThreadCreateParams = {
      metadata: { ...(t.thread.metadata ?? {}) },
      tool_resources: {
        ...(tr?.code_interpreter
          ? { code_interpreter: { file_ids: mapped(tr.code_interpreter.file_ids) } }
          : {}),
        ...(tr?.file_search
          ? { file_search: { vector_store_ids: mapped(tr.file_search.vector_store_ids) } }
          : {}),
      },
    };
    let threadId: string | null = null;
    await attempt(t.thread.id, `Thread ${t.thread.id}`, async () => {
      threadId = (await client.beta.threads.create(body, { maxRetries: 0 })).id;
    });
    if (threadId === null) continue;
    const thread = { id: threadId as string };
    ids[t.thread.id] = thread.id;
    created.threads++;
    for (const m of replayable(t.messages)) {
      const content: MessageContentPartParam[] = [];
      for (const part of m.content) {
        if (part.type === "text") content.push({ type: "text", text: part.text.value || " " });
        else if (part.type === "image_file") {
          const id = ids[part.image_file.file_id];
          if (id) content.push({ type: "image_file", image_file: { file_id: id } });
          else content.push({ type: "text", text: `[image ${part.image_file.file_id} not restored]` });
        } else if (part.type === "image_url") content.push({ type: "image_url", image_url: part.image_url });
      }
      const attachments = (m.attachments ?? [])
        .filter((a) => a.file_id && ids[a.file_id])
        .map((a) => ({ file_id: ids[a.file_id!]!, tools: a.tools ?? [] }));
      const message: MessageCreateParams = {
        role: m.role,
        content,
        ...(attachments.length ? { attachments } : {}),
      };
      await attempt(m.id, `Message ${m.id} of thread ${t.thread.id}`, async () => {
        const made = await client.beta.threads.messages.create(thread.id, message, { maxRetries: 0 });
        ids[m.id] = made.id;
        created.messages++;
      });
    }
    const entry = backup.manifest.threadIndex.find((e) => e.id === t.thread.id);
    const assistantId = entry?.assistantId ?? t.runs.at(-1)?.run.assistant_id ?? null;
    threadIndex.push({
      id: thread.id,
      assistantId: assistantId ? (ids[assistantId] ?? null) : null,
      title: entry?.title ?? null,
    });
  }
  onProgress?.({ done: total, total, label: "Done" });
  return { mode: "recreate", ids, created, skipped, warnings, threadIndex };
}

export const RESTORE_ROUTE = "/api/playground/backup/restore";

export interface LocalRestoreReport {
  created: RestoreResult["created"];
  skipped: string[];
  collisions: string[];
  warnings: string[];
}

async function postArchive(
  zip: Uint8Array,
  connection: string,
  query: string,
  signal?: AbortSignal,
): Promise<LocalRestoreReport> {
  const res = await fetch(`${RESTORE_ROUTE}?${query}`, {
    method: "POST",
    headers: { "content-type": "application/zip", "x-playground-connection": connection },
    body: zip as BodyInit,
    signal,
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw PlaygroundHttpError.fromBody(res.status, body);
  return body as LocalRestoreReport;
}

/** Which ids of the archive already exist in the local engine (nothing is written). */
export function checkLocalRestore(
  zip: Uint8Array,
  connection: string,
  signal?: AbortSignal,
): Promise<LocalRestoreReport> {
  return postArchive(zip, connection, "dryRun=true", signal);
}

/** Imports the archive into the local engine with its ids; existing objects are skipped when `skipExisting`. */
export async function restoreIntoLocalEngine(
  zip: Uint8Array,
  backup: BackupContents,
  options: { connection: string; skipExisting: boolean; signal?: AbortSignal },
): Promise<RestoreResult> {
  const report = await postArchive(
    zip,
    options.connection,
    `onConflict=${options.skipExisting ? "skip" : "refuse"}`,
    options.signal,
  );
  const ids: Record<string, string> = {};
  const skipped = new Set(report.skipped);
  for (const t of backup.threads) if (!skipped.has(t.thread.id)) ids[t.thread.id] = t.thread.id;
  const threadIndex = backup.manifest.threadIndex.filter((e) =>
    backup.threads.some((t) => t.thread.id === e.id),
  );
  return {
    mode: "exact",
    ids,
    created: report.created,
    skipped: report.skipped,
    warnings: report.warnings,
    threadIndex,
  };
}
