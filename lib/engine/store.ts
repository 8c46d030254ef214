/**
 * State behind an interface: asynchronous, with transactions and the list queries the endpoints
 * need (filters on indexed columns, cursor pagination in `_seq` order). Two implementations:
 * `SqlStore` (./sql-store.ts: PGlite or PostgreSQL, the default) and `JsonDirStore` below (one JSON
 * file per object, written to a temporary name, then renamed, so a crash never leaves half an
 * object; kept to import older data directories). File bytes live in `files/` and never pass
 * through here.
 *
 * Transactions are carried by an AsyncLocalStorage context: inside `transaction(fn)` every call on
 * the store (from any helper fn reaches) joins the transaction, so code needs no transaction
 * handle, a nested `transaction` joins the outer one, and work scheduled with `afterCommit` starts
 * only once the changes are visible to everyone.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import type { Collections, Kind } from "./records";

/** Columns every kind's table has (null where a kind has no such field); filters use only these. */
export type Column = "id" | "thread_id" | "run_id" | "vector_store_id" | "status";

export interface Filter {
  /** Equality on indexed columns. */
  eq?: Partial<Record<Column, string>>;
  /** `status` is one of these. */
  statusIn?: readonly string[];
  /** The record contains this JSON (Postgres `@>`: objects by subset, arrays by subset). */
  contains?: Record<string, unknown>;
}

export interface PageQuery {
  order: "asc" | "desc";
  limit: number;
  /** Exclusive cursors: ids of objects in the same list. */
  after?: string | null;
  before?: string | null;
}

export interface PageResult<T> {
  data: T[];
  hasMore: boolean;
}

/** A cursor that names no object of the list (the endpoint answers 400 naming the parameter). */
export class CursorNotFound extends Error {
  constructor(
    readonly param: "after" | "before",
    readonly id: string,
  ) {
    super(`no object with id '${id}' in this list`);
  }
}

export interface Store {
  get<K extends Kind>(kind: K, key: string): Promise<Collections[K] | undefined>;
  /**
   * Reads a record and, inside a transaction, locks it until commit (`SELECT … FOR UPDATE`): the
   * check-then-write of two requests (two instances) on the same thread happens one after the other.
   */
  lock<K extends Kind>(kind: K, key: string): Promise<Collections[K] | undefined>;
  /** Inserts or replaces. */
  put<K extends Kind>(kind: K, record: Collections[K]): Promise<void>;
  delete(kind: Kind, key: string): Promise<void>;
  deleteWhere(kind: Kind, filter: Filter): Promise<void>;
  /** Every matching record, oldest first (`_seq`). */
  list<K extends Kind>(kind: K, filter?: Filter): Promise<Collections[K][]>;
  count(kind: Kind, filter?: Filter): Promise<number>;
  /** One page of a list, in `_seq` order, as the protocol's cursor pagination asks. */
  page<K extends Kind>(kind: K, filter: Filter, query: PageQuery): Promise<PageResult<Collections[K]>>;
  /** The next creation-order number (lists sort on it: created_at has one-second resolution). */
  nextSeq(): Promise<number>;
  /** Runs `fn` in one transaction: all its changes or none; joins an enclosing one. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` once the current transaction commits (now, outside one); dropped on rollback. */
  afterCommit(fn: () => void): void;
  /** Where file bytes and derived data (chunks) live. */
  readonly blobDir: string;
  readonly chunkDir: string;
  /** Empties everything (the `/_engine/reset` control endpoint). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

export const KINDS: Kind[] = [
  "assistant",
  "thread",
  "message",
  "run",
  "step",
  "file",
  "vector_store",
  "vector_store_file",
  "file_batch",
];

/** vector_store.file ids are file ids, unique only within their store. */
export function keyOf(kind: Kind, record: { id: string; vector_store_id?: string }): string {
  return kind === "vector_store_file" ? `${record.vector_store_id}__${record.id}` : record.id;
}

/** The value of a filter column for a record (null when the kind has no such field). */
export function columnOf(record: object, column: Column): string | null {
  const v = (record as Record<string, unknown>)[column];
  return typeof v === "string" ? v : null;
}

/** JSON containment with Postgres `@>` semantics, so both stores answer `contains` alike. */
export function jsonContains(have: unknown, want: unknown): boolean {
  if (Array.isArray(want)) {
    if (!Array.isArray(have)) return false;
    return want.every((w) => have.some((h) => jsonContains(h, w)));
  }
  if (want && typeof want === "object") {
    if (!have || typeof have !== "object" || Array.isArray(have)) return false;
    return Object.entries(want).every(([k, w]) => jsonContains((have as Record<string, unknown>)[k], w));
  }
  return have === want;
}

export function matches(record: object, filter: Filter | undefined): boolean {
  if (!filter) return true;
  for (const [column, value] of Object.entries(filter.eq ?? {}))
    if (value !== undefined && columnOf(record, column as Column) !== value) return false;
  if (filter.statusIn && !filter.statusIn.includes(columnOf(record, "status") ?? "")) return false;
  if (filter.contains && !jsonContains(record, filter.contains)) return false;
  return true;
}

/** Cursor pagination over records already in ascending `_seq` order (the in-memory path). */
export function pageOf<T extends { id: string; _seq: number }>(ascending: T[], q: PageQuery): PageResult<T> {
  const sorted = q.order === "asc" ? ascending : [...ascending].reverse();
  let start = 0;
  let end = sorted.length;
  if (q.after) {
    const i = sorted.findIndex((x) => x.id === q.after);
    if (i < 0) throw new CursorNotFound("after", q.after);
    start = i + 1;
  }
  if (q.before) {
    const i = sorted.findIndex((x) => x.id === q.before);
    if (i < 0) throw new CursorNotFound("before", q.before);
    end = i;
  }
  let window = sorted.slice(start, Math.max(start, end));
  const hasMore = window.length > q.limit;
  // Paging backwards: the items nearest the cursor, still in the requested order.
  window =
    q.before && !q.after ? window.slice(Math.max(0, window.length - q.limit)) : window.slice(0, q.limit);
  return { data: window, hasMore };
}

/** The transaction a call runs in (an AsyncLocalStorage context), shared by both stores. */
export interface TxFrame {
  open: boolean;
  afterCommit: (() => void)[];
}

export class TxContext<F extends TxFrame> {
  private readonly als = new AsyncLocalStorage<F>();

  /** The open transaction of this call chain, if any. */
  current(): F | undefined {
    const f = this.als.getStore();
    return f?.open ? f : undefined;
  }

  run<T>(frame: F, fn: () => Promise<T>): Promise<T> {
    return this.als.run(frame, fn);
  }

  afterCommit(fn: () => void): void {
    const f = this.current();
    if (f) f.afterCommit.push(fn);
    // Outside the transaction's context, so work it starts never joins a finished transaction.
    else this.als.exit(fn);
  }

  committed(frame: F): void {
    frame.open = false;
    for (const fn of frame.afterCommit) this.als.exit(fn);
  }
}

const SAFE_KEY = /^[A-Za-z0-9_-]+$/;

interface JsonFrame extends TxFrame {
  /** What to put back on rollback, newest last. */
  undo: { kind: Kind; key: string; before: unknown }[];
}

/**
 * One JSON file per object, all held in memory. Transactions are serialised by a mutex; on failure
 * the records they added, replaced or deleted are put back as they were held (a record read here is
 * the stored object itself, so one changed in place before its put stays changed).
 */
export class JsonDirStore implements Store {
  private readonly maps = new Map<Kind, Map<string, unknown>>();
  private seq = 0;
  readonly blobDir: string;
  readonly chunkDir: string;
  private readonly stateDir: string;
  private readonly tx = new TxContext<JsonFrame>();
  private mutex: Promise<void> = Promise.resolve();

  constructor(
    readonly dataDir: string,
    /** Read-only: nothing is created or written (importing an older data directory). */
    private readonly options: { readOnly?: boolean } = {},
  ) {
    this.stateDir = path.join(/* turbopackIgnore: true */ dataDir, "state");
    this.blobDir = path.join(/* turbopackIgnore: true */ dataDir, "files");
    this.chunkDir = path.join(/* turbopackIgnore: true */ dataDir, "chunks");
    this.load();
  }

  private load(): void {
    const readOnly = this.options.readOnly ?? false;
    if (!readOnly) {
      fs.mkdirSync(this.blobDir, { recursive: true });
      fs.mkdirSync(this.chunkDir, { recursive: true });
    }
    for (const kind of KINDS) {
      const dir = path.join(/* turbopackIgnore: true */ this.stateDir, kind);
      if (!readOnly) fs.mkdirSync(dir, { recursive: true });
      else if (!fs.existsSync(dir)) {
        this.maps.set(kind, new Map());
        continue;
      }
      const map = new Map<string, unknown>();
      const loaded: { key: string; rec: { _seq?: number } }[] = [];
      for (const name of fs.readdirSync(/* turbopackIgnore: true */ dir)) {
        if (!name.endsWith(".json")) continue;
        try {
          const rec = JSON.parse(
            fs.readFileSync(path.join(/* turbopackIgnore: true */ dir, name), "utf8"),
          ) as { _seq?: number };
          loaded.push({ key: name.slice(0, -5), rec });
          if (typeof rec._seq === "number" && rec._seq > this.seq) this.seq = rec._seq;
        } catch {
          // A torn temporary file cannot be here (rename is atomic); an unreadable one is skipped.
        }
      }
      // Held in `_seq` order, so lists need no sort.
      loaded.sort((a, b) => (a.rec._seq ?? 0) - (b.rec._seq ?? 0));
      for (const { key, rec } of loaded) map.set(key, rec);
      this.maps.set(kind, map);
    }
  }

  private map(kind: Kind): Map<string, unknown> {
    const m = this.maps.get(kind);
    if (!m) throw new Error(`unknown kind ${kind}`);
    return m;
  }

  private journal(kind: Kind, key: string): void {
    this.tx.current()?.undo.push({ kind, key, before: this.map(kind).get(key) });
  }

  private write(kind: Kind, key: string, record: unknown): void {
    if (this.options.readOnly) throw new Error("read-only store");
    if (!SAFE_KEY.test(key)) throw new Error(`unsafe key ${key}`);
    const map = this.map(kind);
    // Re-inserted at its `_seq` place only when new: Map keeps insertion order.
    map.set(key, record);
    const file = path.join(/* turbopackIgnore: true */ this.stateDir, kind, `${key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(record));
    fs.renameSync(tmp, file);
  }

  private remove(kind: Kind, key: string): void {
    this.map(kind).delete(key);
    if (!SAFE_KEY.test(key)) return;
    fs.rmSync(path.join(/* turbopackIgnore: true */ this.stateDir, kind, `${key}.json`), { force: true });
  }

  private ascending<K extends Kind>(kind: K, filter?: Filter): Collections[K][] {
    const out: Collections[K][] = [];
    let sorted = true;
    let last = -Infinity;
    for (const rec of this.map(kind).values()) {
      const r = rec as Collections[K];
      if (r._seq < last) sorted = false;
      last = r._seq;
      if (matches(r, filter)) out.push(r);
    }
    return sorted ? out : out.sort((a, b) => a._seq - b._seq);
  }

  async get<K extends Kind>(kind: K, key: string): Promise<Collections[K] | undefined> {
    return this.map(kind).get(key) as Collections[K] | undefined;
  }

  async lock<K extends Kind>(kind: K, key: string): Promise<Collections[K] | undefined> {
    // Transactions already run one at a time here.
    return this.get(kind, key);
  }

  async put<K extends Kind>(kind: K, record: Collections[K]): Promise<void> {
    const key = keyOf(kind, record as { id: string; vector_store_id?: string });
    this.journal(kind, key);
    this.write(kind, key, record);
  }

  async delete(kind: Kind, key: string): Promise<void> {
    this.journal(kind, key);
    this.remove(kind, key);
  }

  async deleteWhere(kind: Kind, filter: Filter): Promise<void> {
    for (const rec of this.ascending(kind, filter)) await this.delete(kind, keyOf(kind, rec));
  }

  async list<K extends Kind>(kind: K, filter?: Filter): Promise<Collections[K][]> {
    return this.ascending(kind, filter);
  }

  async count(kind: Kind, filter?: Filter): Promise<number> {
    return this.ascending(kind, filter).length;
  }

  async page<K extends Kind>(kind: K, filter: Filter, query: PageQuery): Promise<PageResult<Collections[K]>> {
    return pageOf(this.ascending(kind, filter), query);
  }

  async nextSeq(): Promise<number> {
    return ++this.seq;
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.tx.current()) return fn();
    const previous = this.mutex;
    let release = () => {};
    this.mutex = new Promise<void>((r) => (release = r));
    await previous;
    const frame: JsonFrame = { open: true, afterCommit: [], undo: [] };
    try {
      const result = await this.tx.run(frame, fn);
      this.tx.committed(frame);
      return result;
    } catch (e) {
      frame.open = false;
      for (const { kind, key, before } of frame.undo.reverse()) {
        if (before === undefined) this.remove(kind, key);
        else this.write(kind, key, before);
      }
      throw e;
    } finally {
      release();
    }
  }

  afterCommit(fn: () => void): void {
    this.tx.afterCommit(fn);
  }

  async clear(): Promise<void> {
    for (const dir of [this.stateDir, this.blobDir, this.chunkDir])
      fs.rmSync(dir, { recursive: true, force: true });
    this.maps.clear();
    this.seq = 0;
    this.load();
  }

  async close(): Promise<void> {}
}
