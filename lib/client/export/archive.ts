/**
 * The connection backup archive (docs/backup.md): one zip with a manifest, JSON for every object
 * in its wire shape (as the API returned it), and each file's bytes. Its entry names are the
 * protocol's (lib/protocol/backup-archive.ts), shared with the server's restore.
 */
import type { Assistant } from "openai/resources/beta/assistants";
import type { FileObject } from "openai/resources/files";
import type { VectorStore } from "openai/resources/vector-stores/vector-stores";
import type { VectorStoreFile } from "openai/resources/vector-stores/files";
import {
  ARCHIVE_ENTRIES,
  ARCHIVE_ID_PATTERN,
  BACKUP_FORMAT,
  BACKUP_VERSION,
  filePath,
  isInThreadsFolder,
  threadPath,
} from "@/lib/protocol/backup-archive";
import type { ThreadDump } from "./collect";

export { BACKUP_FORMAT, BACKUP_VERSION, filePath, threadPath };

export interface ThreadIndexEntry {
  id: string;
  assistantId: string | null;
  title: string | null;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  source: { connection: string; kind: string; apiVersion: string };
  counts: {
    assistants: number;
    files: number;
    vectorStores: number;
    threads: number;
    messages: number;
    runs: number;
    steps: number;
  };
  /** Every file whose bytes are in the archive, and where. */
  files: { id: string; filename: string; bytes: number; purpose: string; path: string }[];
  /** Threads as this browser knew them (title, assistant), so a restore can list them again. */
  threadIndex: ThreadIndexEntry[];
  /** What could not be backed up, in words. */
  warnings: string[];
}

export interface VectorStoreDump {
  vector_store: VectorStore;
  files: VectorStoreFile[];
}

export interface BackupContents {
  manifest: BackupManifest;
  assistants: Assistant[];
  files: FileObject[];
  vectorStores: VectorStoreDump[];
  threads: ThreadDump[];
  /** File bytes by file id. */
  bytes: Map<string, Uint8Array>;
}

const E = ARCHIVE_ENTRIES;

/** The zip of a backup. Files are stored (most are already compressed or small); JSON is deflated. */
export async function writeArchive(contents: BackupContents): Promise<Uint8Array> {
  const { zipSync, strToU8 } = await import("fflate");
  const json = (v: unknown) => strToU8(JSON.stringify(v, null, 1));
  const entries: Record<string, Uint8Array | [Uint8Array, { level: 0 }]> = {
    [E.manifest]: json(contents.manifest),
    [E.assistants]: json(contents.assistants),
    [E.files]: json(contents.files),
    [E.vectorStores]: json(contents.vectorStores),
  };
  for (const t of contents.threads) entries[threadPath(t.thread.id)] = json(t);
  for (const [id, bytes] of contents.bytes) entries[filePath(id)] = [bytes, { level: 0 }];
  return zipSync(entries, { level: 6 });
}

export class BackupFormatError extends Error {
  override name = "BackupFormatError";
}

function need(ok: unknown, message: string): asserts ok {
  if (!ok) throw new BackupFormatError(message);
}

function parseJson<T>(files: Record<string, Uint8Array>, name: string, decode: (b: Uint8Array) => string): T {
  const raw = files[name];
  need(raw, `The archive has no ${name}.`);
  try {
    return JSON.parse(decode(raw)) as T;
  } catch {
    throw new BackupFormatError(`${name} in the archive is not valid JSON.`);
  }
}

function ids(list: unknown, what: string): void {
  need(Array.isArray(list), `${what} is not a list.`);
  for (const item of list as unknown[]) {
    const id = (item as { id?: unknown } | null)?.id;
    need(typeof id === "string" && ARCHIVE_ID_PATTERN.test(id), `${what} has an object without a valid id.`);
  }
}

/** Reads and checks a backup zip; every problem is a BackupFormatError a person can act on. */
export async function readArchive(zip: Uint8Array): Promise<BackupContents> {
  const { unzipSync, strFromU8 } = await import("fflate");
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch {
    throw new BackupFormatError("This is not a zip archive. Choose a .zip made by “Back up” on this page.");
  }
  const manifest = parseJson<BackupManifest>(files, E.manifest, strFromU8);
  need(
    manifest?.format === BACKUP_FORMAT,
    "This zip is not an Assistants Playground backup (its manifest names another format).",
  );
  need(
    manifest.version === BACKUP_VERSION,
    `This backup has format version ${String(manifest.version)}; this playground reads version ${BACKUP_VERSION}.`,
  );
  const assistants = parseJson<Assistant[]>(files, E.assistants, strFromU8);
  const fileObjects = parseJson<FileObject[]>(files, E.files, strFromU8);
  const vectorStores = parseJson<VectorStoreDump[]>(files, E.vectorStores, strFromU8);
  ids(assistants, E.assistants);
  ids(fileObjects, E.files);
  need(Array.isArray(vectorStores), `${E.vectorStores} is not a list.`);
  ids(
    vectorStores.map((v) => v.vector_store),
    E.vectorStores,
  );
  for (const v of vectorStores) ids(v.files, `The files of vector store ${v.vector_store.id}`);
  const threads: ThreadDump[] = [];
  for (const name of Object.keys(files).sort()) {
    if (!isInThreadsFolder(name)) continue;
    const t = parseJson<ThreadDump>(files, name, strFromU8);
    need(t && typeof t === "object" && t.thread, `${name} has no thread.`);
    ids([t.thread], name);
    ids(t.messages, `${name} messages`);
    need(Array.isArray(t.runs), `${name} runs is not a list.`);
    ids(
      t.runs.map((r) => r.run),
      `${name} runs`,
    );
    for (const r of t.runs) ids(r.steps, `${name} steps`);
    threads.push(t);
  }
  const bytes = new Map<string, Uint8Array>();
  for (const f of manifest.files ?? []) {
    const data = files[f.path];
    need(data, `The manifest lists ${f.path}, but the archive does not contain it.`);
    need(ARCHIVE_ID_PATTERN.test(f.id), `The manifest lists a file with an invalid id.`);
    bytes.set(f.id, data);
  }
  return { manifest, assistants, files: fileObjects, vectorStores, threads, bytes };
}
