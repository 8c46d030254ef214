/**
 * Opening the engine's store from its options: PGlite in the data directory (the default),
 * PostgreSQL at a URL, a database handed in (tests share one per file, a schema per engine), or
 * the JSON folder. A JSON folder left by an older engine is imported into the database on first start.
 */
import fs from "node:fs";
import path from "node:path";
import type { Collections, Kind } from "../records";
import { JsonDirStore, KINDS, type Store } from "../store";
import { openPglite, openPostgres, type SqlDatabase } from "./db";
import { SqlStore } from "./store";

export type DatabaseOption =
  /** Embedded Postgres in `<dataDir>/pg`. */
  | "pglite"
  /** One JSON file per object under `<dataDir>/state` (the older format; kept for imports). */
  | "json"
  /** PostgreSQL (`postgres://…`), tables in `schema` (default `engine`). */
  | { url: string; schema?: string; poolSize?: number }
  /** A database opened elsewhere, not closed with the engine. */
  | { database: SqlDatabase; schema?: string };

const IMPORT_MARKER = "json_import";

export async function openStore(dataDir: string, option: DatabaseOption = "pglite"): Promise<Store> {
  if (option === "json") return new JsonDirStore(dataDir);
  let store: SqlStore;
  if (option === "pglite") {
    const db = await openPglite(path.join(/* turbopackIgnore: true */ dataDir, "pg"));
    store = await openOrClose(db, () => SqlStore.open(db, { dataDir, ownsDatabase: true }));
  } else if ("url" in option) {
    const db = await openPostgres(option.url, { max: option.poolSize });
    store = await openOrClose(db, () =>
      SqlStore.open(db, { dataDir, schema: option.schema, ownsDatabase: true }),
    );
  } else {
    store = await SqlStore.open(option.database, { dataDir, schema: option.schema, ownsDatabase: false });
  }
  await importJsonFolder(store, dataDir);
  return store;
}

async function openOrClose(db: SqlDatabase, open: () => Promise<SqlStore>): Promise<SqlStore> {
  try {
    return await open();
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}

/**
 * Copies `<dataDir>/state/<kind>/*.json` into the database, ids and `_seq` kept, once: a marker row
 * records the import, and the folder is left as it was (file bytes already sit in `<dataDir>/files`).
 */
export async function importJsonFolder(store: SqlStore, dataDir: string): Promise<number> {
  const stateDir = path.join(/* turbopackIgnore: true */ dataDir, "state");
  if (!fs.existsSync(stateDir)) return 0;
  if (await store.getMeta(IMPORT_MARKER)) return 0;
  const json = new JsonDirStore(dataDir, { readOnly: true });
  return store.transaction(async () => {
    // Another instance may have imported meanwhile: the marker is checked again under the lock.
    if (await store.getMeta(IMPORT_MARKER)) return 0;
    let count = 0;
    let maxSeq = 0;
    for (const kind of KINDS) {
      for (const rec of await json.list(kind)) {
        await store.put(kind as Kind, rec as Collections[Kind]);
        maxSeq = Math.max(maxSeq, rec._seq ?? 0);
        count++;
      }
    }
    await store.seqAtLeast(maxSeq);
    await store.setMeta(IMPORT_MARKER, { at: new Date().toISOString(), records: count });
    return count;
  });
}

/**
 * A store usable at once whose calls wait for the real one to open (the engine is created
 * synchronously; the database opens asynchronously).
 */
export function deferredStore(opening: Promise<Store>, dataDir: string): Store {
  const call =
    <A extends unknown[], R>(f: (s: Store, ...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> =>
      f(await opening, ...a);
  let opened: Store | undefined;
  void opening.then(
    (s) => (opened = s),
    () => {},
  );
  return {
    blobDir: path.join(/* turbopackIgnore: true */ dataDir, "files"),
    chunkDir: path.join(/* turbopackIgnore: true */ dataDir, "chunks"),
    get: call((s, kind: Kind, key: string) => s.get(kind, key)) as Store["get"],
    lock: call((s, kind: Kind, key: string) => s.lock(kind, key)) as Store["lock"],
    put: call((s, kind: Kind, rec: Collections[Kind]) => s.put(kind, rec)) as Store["put"],
    delete: call((s, kind: Kind, key: string) => s.delete(kind, key)),
    deleteWhere: call((s, kind: Kind, f) => s.deleteWhere(kind, f)),
    list: call((s, kind: Kind, f) => s.list(kind, f)) as Store["list"],
    count: call((s, kind: Kind, f) => s.count(kind, f)),
    page: call((s, kind: Kind, f, q) => s.page(kind, f, q)) as Store["page"],
    nextSeq: call((s) => s.nextSeq()),
    transaction: call((s, fn) => s.transaction(fn)) as Store["transaction"],
    afterCommit(fn) {
      // Before the store opened nothing can be in a transaction.
      if (opened) opened.afterCommit(fn);
      else fn();
    },
    clear: call((s) => s.clear()),
    close: async () => {
      const s = await opening.catch(() => null);
      await s?.close();
    },
  };
}
