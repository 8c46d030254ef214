/**
 * The names inside a backup archive (docs/backup.md): the browser writes and reads them
 * (lib/client/export/archive.ts), the server's restore reads them (lib/server/backup.ts).
 *
 *   manifest.json          format, version, source, counts, files (id → path), thread index, warnings
 *   assistants.json        Assistant[]
 *   files.json             FileObject[]
 *   vector_stores.json     { vector_store, files: VectorStoreFile[] }[]
 *   threads/<id>.json      { thread, messages, runs: { run, steps }[] }
 *   files/<id>             the file's bytes
 */

export const BACKUP_FORMAT = "assistants-playground.backup";
export const BACKUP_VERSION = 1;

export const ARCHIVE_ENTRIES = {
  manifest: "manifest.json",
  assistants: "assistants.json",
  files: "files.json",
  vectorStores: "vector_stores.json",
} as const;

/** The JSON entries every archive has, besides one per thread. */
export const ARCHIVE_JSON_ENTRIES: readonly string[] = Object.values(ARCHIVE_ENTRIES);

/** An object id as an archive may name it: in a path it can never climb out of its folder. */
export const ARCHIVE_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

const FILES_FOLDER = "files/";
const THREADS_FOLDER = "threads/";

export const filePath = (id: string) => `${FILES_FOLDER}${id}`;
export const threadPath = (id: string) => `${THREADS_FOLDER}${id}.json`;

/** The file id of a `files/<id>` entry with a valid id, or null. */
export function fileIdOfEntry(name: string): string | null {
  const id = name.startsWith(FILES_FOLDER) ? name.slice(FILES_FOLDER.length) : null;
  return id !== null && ARCHIVE_ID_PATTERN.test(id) ? id : null;
}

/** Whether the entry sits where thread dumps do (`threads/….json`), whatever its id. */
export function isInThreadsFolder(name: string): boolean {
  return name.startsWith(THREADS_FOLDER) && name.endsWith(".json");
}

/** Whether the entry is a `threads/<id>.json` with a valid id. */
export function isThreadEntry(name: string): boolean {
  return (
    isInThreadsFolder(name) && ARCHIVE_ID_PATTERN.test(name.slice(THREADS_FOLDER.length, -".json".length))
  );
}
