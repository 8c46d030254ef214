/**
 * Back up a whole connection: its assistants, the threads the app knows (the local index, plus
 * GET /threads where the upstream lists them), their messages, runs and run steps, the vector
 * stores and files all of these use (optionally every one), and the files' bytes.
 */
import type { AzureOpenAI } from "openai";
import type { Assistant } from "openai/resources/beta/assistants";
import type { FileObject } from "openai/resources/files";
import type { Thread } from "openai/resources/beta/threads/threads";
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  filePath,
  threadPath,
  writeArchive,
  type BackupContents,
  type BackupManifest,
  type ThreadIndexEntry,
  type VectorStoreDump,
} from "./archive";
import { dumpThread, errorMessage, fileRefsOf, isNotFound, readFileBytes, type ThreadDump } from "./collect";
import { ZipStreamWriter, type ByteSink } from "./zip-stream";
import { ARCHIVE_ENTRIES } from "@/lib/protocol/backup-archive";
import { fileNameStamp } from "../time";

export interface BackupProgress {
  phase: "assistants" | "threads" | "vector stores" | "files" | "archive" | "done";
  done: number;
  total: number;
  label: string;
}

export interface BackupOptions {
  connection: { name: string; kind: string; apiVersion: string };
  /** Threads the app knows on this connection (the local index). */
  knownThreads: ThreadIndexEntry[];
  /** The upstream can list threads (GET /threads: the local engine). */
  listThreads: boolean;
  /** Also every file and vector store of the connection, used or not. */
  includeUnused?: boolean;
  onProgress?: (p: BackupProgress) => void;
  signal?: AbortSignal;
  now?: Date;
}

async function all<T>(pages: AsyncIterable<T>, signal?: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  for await (const item of pages) {
    out.push(item);
    if (signal?.aborted) throw new DOMException("The backup was cancelled.", "AbortError");
  }
  return out;
}

async function listUpstreamThreads(client: AzureOpenAI, signal?: AbortSignal): Promise<Thread[]> {
  const out: Thread[] = [];
  let after: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await client.get<{ data?: Thread[]; has_more?: boolean; last_id?: string }>("/threads", {
      query: { limit: 100, order: "asc", ...(after ? { after } : {}) },
      signal,
    });
    out.push(...(res.data ?? []));
    if (!res.has_more || !res.last_id) break;
    after = res.last_id;
  }
  return out;
}

/** Where a backup's threads and file bytes go as each is read (then the page lets go of them). */
interface BackupSink {
  thread(dump: ThreadDump): Promise<void>;
  fileBytes(id: string, bytes: Uint8Array): Promise<void>;
}

type BackupRest = Omit<BackupContents, "threads" | "bytes">;

/**
 * Reads the connection: each thread and each file's bytes are handed to `sink` as soon as read;
 * the rest (assistants, vector stores, file objects, the manifest) is small and comes back at the end.
 */
async function readConnection(
  client: AzureOpenAI,
  options: BackupOptions,
  sink: BackupSink,
): Promise<BackupRest> {
  const { signal } = options;
  const progress = (p: BackupProgress) => options.onProgress?.(p);
  const warnings: string[] = [];

  progress({ phase: "assistants", done: 0, total: 1, label: "Listing assistants" });
  const assistants: Assistant[] = await all(
    client.beta.assistants.list({ limit: 100, order: "asc" }, { signal }),
    signal,
  );

  const index = new Map<string, ThreadIndexEntry>();
  for (const t of options.knownThreads) index.set(t.id, t);
  if (options.listThreads) {
    for (const t of await listUpstreamThreads(client, signal))
      if (!index.has(t.id)) index.set(t.id, { id: t.id, assistantId: null, title: null });
  }
  const threadIds = [...index.keys()];
  const storeIds = new Set<string>();
  const fileIds = new Set<string>();
  for (const a of assistants) {
    for (const id of a.tool_resources?.file_search?.vector_store_ids ?? []) storeIds.add(id);
    for (const id of a.tool_resources?.code_interpreter?.file_ids ?? []) fileIds.add(id);
  }
  const counted = { threads: 0, messages: 0, runs: 0, steps: 0 };
  for (const [i, id] of threadIds.entries()) {
    progress({ phase: "threads", done: i, total: threadIds.length, label: `Thread ${id}` });
    let dump: ThreadDump;
    try {
      dump = await dumpThread(client, id, signal);
    } catch (err) {
      if (isNotFound(err)) warnings.push(`Thread ${id} no longer exists on the connection; skipped.`);
      else throw err;
      index.delete(id);
      continue;
    }
    const entry = index.get(id)!;
    // Threads found only upstream: their assistant is the one their runs used.
    if (!entry.assistantId) entry.assistantId = dump.runs.at(-1)?.run.assistant_id ?? null;
    for (const sid of dump.thread.tool_resources?.file_search?.vector_store_ids ?? []) storeIds.add(sid);
    const refs = fileRefsOf(dump);
    for (const fid of [...refs.generated, ...refs.referenced]) fileIds.add(fid);
    counted.threads += 1;
    counted.messages += dump.messages.length;
    counted.runs += dump.runs.length;
    counted.steps += dump.runs.reduce((n, r) => n + r.steps.length, 0);
    await sink.thread(dump);
  }
  if (options.includeUnused) {
    for await (const vs of client.vectorStores.list({ limit: 100 }, { signal })) storeIds.add(vs.id);
  }

  const vectorStores: VectorStoreDump[] = [];
  for (const [i, id] of [...storeIds].entries()) {
    progress({ phase: "vector stores", done: i, total: storeIds.size, label: `Vector store ${id}` });
    try {
      const vector_store = await client.vectorStores.retrieve(id, { signal });
      const files = await all(
        client.vectorStores.files.list(id, { limit: 100, order: "asc" }, { signal }),
        signal,
      );
      for (const f of files) fileIds.add(f.id);
      vectorStores.push({ vector_store, files });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      warnings.push(`Vector store ${id} is used but no longer exists; skipped.`);
    }
  }

  const fileObjects: FileObject[] = [];
  if (options.includeUnused) {
    for (const f of await all(client.files.list({ order: "asc" }, { signal }), signal)) {
      fileIds.add(f.id);
    }
  }
  const manifestFiles: BackupManifest["files"] = [];
  for (const [i, id] of [...fileIds].entries()) {
    progress({ phase: "files", done: i, total: fileIds.size, label: `File ${id}` });
    let file: FileObject;
    try {
      file = await client.files.retrieve(id, { signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      warnings.push(`File ${id} is used but no longer exists; skipped.`);
      continue;
    }
    fileObjects.push(file);
    try {
      const data = await readFileBytes(client, id, signal);
      await sink.fileBytes(id, data);
      manifestFiles.push({
        id,
        filename: file.filename,
        bytes: data.byteLength,
        purpose: file.purpose,
        path: filePath(id),
      });
    } catch (err) {
      warnings.push(`The content of file ${id} (${file.filename}) could not be read: ${errorMessage(err)}.`);
    }
  }

  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: (options.now ?? new Date()).toISOString(),
    source: {
      connection: options.connection.name,
      kind: options.connection.kind,
      apiVersion: options.connection.apiVersion,
    },
    counts: {
      assistants: assistants.length,
      files: fileObjects.length,
      vectorStores: vectorStores.length,
      ...counted,
    },
    files: manifestFiles,
    threadIndex: [...index.values()],
    warnings,
  };
  return { manifest, assistants, files: fileObjects, vectorStores };
}

/** The whole backup in memory. */
export async function collectBackup(client: AzureOpenAI, options: BackupOptions): Promise<BackupContents> {
  const threads: ThreadDump[] = [];
  const bytes = new Map<string, Uint8Array>();
  const rest = await readConnection(client, options, {
    thread: async (dump) => void threads.push(dump),
    fileBytes: async (id, data) => void bytes.set(id, data),
  });
  return { ...rest, threads, bytes };
}

/**
 * Streams a backup into `out` (a file on disk): each thread and file is written to the archive as
 * soon as it is read and then let go, so the page holds one of them at a time, not the archive.
 * The same archive as createBackup's (entry order aside: the manifest comes last). On an error or
 * a cancel, `out` is aborted (a half-written file is not left as if it were a backup).
 */
export async function streamBackup(
  client: AzureOpenAI,
  options: BackupOptions,
  out: ByteSink,
): Promise<{ manifest: BackupManifest; bytes: number }> {
  const { deflateSync, strToU8 } = await import("fflate");
  const json = (v: unknown) => strToU8(JSON.stringify(v, null, 1));
  const zip = new ZipStreamWriter(out, deflateSync, options.now);
  try {
    const rest = await readConnection(client, options, {
      thread: (dump) => zip.add(threadPath(dump.thread.id), json(dump), true),
      fileBytes: (id, data) => zip.add(filePath(id), data, false),
    });
    options.onProgress?.({ phase: "archive", done: 0, total: 1, label: "Finishing the archive" });
    await zip.add(ARCHIVE_ENTRIES.assistants, json(rest.assistants), true);
    await zip.add(ARCHIVE_ENTRIES.files, json(rest.files), true);
    await zip.add(ARCHIVE_ENTRIES.vectorStores, json(rest.vectorStores), true);
    await zip.add(ARCHIVE_ENTRIES.manifest, json(rest.manifest), true);
    await zip.finish();
    options.onProgress?.({ phase: "done", done: 1, total: 1, label: "Done" });
    return { manifest: rest.manifest, bytes: zip.written };
  } catch (err) {
    await out.abort(err).catch(() => {});
    throw err;
  }
}

/** Collects and zips a backup in memory; the zip and its manifest. */
export async function createBackup(
  client: AzureOpenAI,
  options: BackupOptions,
): Promise<{ zip: Uint8Array; manifest: BackupManifest }> {
  const contents = await collectBackup(client, options);
  options.onProgress?.({ phase: "archive", done: 0, total: 1, label: "Writing the archive" });
  const zip = await writeArchive(contents);
  options.onProgress?.({ phase: "done", done: 1, total: 1, label: "Done" });
  return { zip, manifest: contents.manifest };
}

export function backupFileName(connection: string, now = new Date()): string {
  return `playground-backup-${connection.replace(/[^A-Za-z0-9_-]/g, "_")}-${fileNameStamp(now)}.zip`;
}
