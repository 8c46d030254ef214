/**
 * The engine's state in Postgres (PGlite or PostgreSQL, ./db.ts), one set of SQL for both. Each kind
 * has a table (./migrations.ts): the record as JSON and the columns lists filter and sort on, so a
 * page is one indexed query whatever the table holds. File bytes and chunks stay in the data
 * directory.
 */
import fs from "node:fs";
import path from "node:path";
import type { Collections, Kind } from "../records";
import {
  columnOf,
  CursorNotFound,
  KINDS,
  keyOf,
  TxContext,
  type Column,
  type Filter,
  type PageQuery,
  type PageResult,
  type Store,
  type TxFrame,
} from "../store";
import type { SqlDatabase, SqlRunner } from "./db";
import { migrate, quoteIdent } from "./migrations";

interface SqlFrame extends TxFrame {
  db: SqlRunner;
}

/** Postgres codes worth one more try of a whole transaction: serialization failure, deadlock. */
const RETRYABLE = new Set(["40001", "40P01"]);

export class SqlStore implements Store {
  readonly blobDir: string;
  readonly chunkDir: string;
  private readonly s: string;
  private readonly tx = new TxContext<SqlFrame>();

  private constructor(
    private readonly database: SqlDatabase,
    readonly schema: string,
    dataDir: string,
    /** Whether close() closes the database (not when it is shared, as in tests). */
    private readonly ownsDatabase: boolean,
  ) {
    this.s = quoteIdent(schema);
    this.blobDir = path.join(/* turbopackIgnore: true */ dataDir, "files");
    this.chunkDir = path.join(/* turbopackIgnore: true */ dataDir, "chunks");
  }

  /** Migrates `schema` of `database` and serves from it. */
  static async open(
    database: SqlDatabase,
    options: { schema?: string; dataDir: string; ownsDatabase: boolean },
  ): Promise<SqlStore> {
    const schema = options.schema ?? "engine";
    await migrate(database, schema);
    const store = new SqlStore(database, schema, options.dataDir, options.ownsDatabase);
    fs.mkdirSync(store.blobDir, { recursive: true });
    fs.mkdirSync(store.chunkDir, { recursive: true });
    return store;
  }

  get kind(): SqlDatabase["kind"] {
    return this.database.kind;
  }

  private db(): SqlRunner {
    return this.tx.current()?.db ?? this.database;
  }

  private t(kind: Kind): string {
    return `${this.s}.${quoteIdent(kind)}`;
  }

  /** WHERE conditions for a filter; parameters are appended to `params`. */
  private where(filter: Filter | undefined, params: unknown[]): string[] {
    const out: string[] = [];
    for (const [column, value] of Object.entries(filter?.eq ?? {})) {
      if (value === undefined) continue;
      params.push(value);
      out.push(`${quoteIdent(column as Column)} = $${params.length}`);
    }
    if (filter?.statusIn) {
      if (filter.statusIn.length === 0) out.push("false");
      else {
        const marks = filter.statusIn.map((v) => {
          params.push(v);
          return `$${params.length}`;
        });
        out.push(`status IN (${marks.join(", ")})`);
      }
    }
    if (filter?.contains) {
      params.push(JSON.stringify(filter.contains));
      out.push(`body::jsonb @> $${params.length}::jsonb`);
    }
    return out;
  }

  private static clause(conditions: string[]): string {
    return conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
  }

  async get<K extends Kind>(kind: K, key: string): Promise<Collections[K] | undefined> {
    const [row] = await this.db().query<{ body: Collections[K] }>(
      `SELECT body FROM ${this.t(kind)} WHERE key = $1`,
      [key],
    );
    return row?.body;
  }

  async lock<K extends Kind>(kind: K, key: string): Promise<Collections[K] | undefined> {
    if (!this.tx.current()) return this.get(kind, key);
    const [row] = await this.db().query<{ body: Collections[K] }>(
      `SELECT body FROM ${this.t(kind)} WHERE key = $1 FOR UPDATE`,
      [key],
    );
    return row?.body;
  }

  async put<K extends Kind>(kind: K, record: Collections[K]): Promise<void> {
    const r = record as Collections[K] & { vector_store_id?: string };
    await this.db().query(
      `INSERT INTO ${this.t(kind)} (key, id, seq, created_at, thread_id, run_id, vector_store_id, status, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::json)
       ON CONFLICT (key) DO UPDATE SET id = EXCLUDED.id, seq = EXCLUDED.seq, created_at = EXCLUDED.created_at,
         thread_id = EXCLUDED.thread_id, run_id = EXCLUDED.run_id, vector_store_id = EXCLUDED.vector_store_id,
         status = EXCLUDED.status, body = EXCLUDED.body`,
      [
        keyOf(kind, r),
        r.id,
        r._seq,
        r.created_at,
        columnOf(r, "thread_id"),
        columnOf(r, "run_id"),
        columnOf(r, "vector_store_id"),
        columnOf(r, "status"),
        JSON.stringify(r),
      ],
    );
  }

  async delete(kind: Kind, key: string): Promise<void> {
    await this.db().query(`DELETE FROM ${this.t(kind)} WHERE key = $1`, [key]);
  }

  async deleteWhere(kind: Kind, filter: Filter): Promise<void> {
    const params: unknown[] = [];
    await this.db().query(
      `DELETE FROM ${this.t(kind)} ${SqlStore.clause(this.where(filter, params))}`,
      params,
    );
  }

  async list<K extends Kind>(kind: K, filter?: Filter): Promise<Collections[K][]> {
    const params: unknown[] = [];
    const rows = await this.db().query<{ body: Collections[K] }>(
      `SELECT body FROM ${this.t(kind)} ${SqlStore.clause(this.where(filter, params))} ORDER BY seq`,
      params,
    );
    return rows.map((r) => r.body);
  }

  async count(kind: Kind, filter?: Filter): Promise<number> {
    const params: unknown[] = [];
    const [row] = await this.db().query<{ n: string | number }>(
      `SELECT count(*) AS n FROM ${this.t(kind)} ${SqlStore.clause(this.where(filter, params))}`,
      params,
    );
    return Number(row?.n ?? 0);
  }

  /** The `seq` of the object `id` in the list, or CursorNotFound. */
  private async cursorSeq(
    kind: Kind,
    filter: Filter,
    param: "after" | "before",
    id: string,
  ): Promise<number> {
    const params: unknown[] = [id];
    const conditions = ["id = $1", ...this.where(filter, params)];
    const [row] = await this.db().query<{ seq: string | number }>(
      `SELECT seq FROM ${this.t(kind)} ${SqlStore.clause(conditions)}`,
      params,
    );
    if (!row) throw new CursorNotFound(param, id);
    return Number(row.seq);
  }

  async page<K extends Kind>(kind: K, filter: Filter, q: PageQuery): Promise<PageResult<Collections[K]>> {
    const after = q.after ? await this.cursorSeq(kind, filter, "after", q.after) : null;
    const before = q.before ? await this.cursorSeq(kind, filter, "before", q.before) : null;
    const params: unknown[] = [];
    const conditions = this.where(filter, params);
    // "after" follows the requested order; "before" precedes it.
    const gt = q.order === "asc" ? ">" : "<";
    const lt = q.order === "asc" ? "<" : ">";
    if (after !== null) {
      params.push(after);
      conditions.push(`seq ${gt} $${params.length}`);
    }
    if (before !== null) {
      params.push(before);
      conditions.push(`seq ${lt} $${params.length}`);
    }
    // Paging backwards (before without after): the items nearest the cursor, read in reverse.
    const backwards = before !== null && after === null;
    const ascending = (q.order === "asc") !== backwards;
    params.push(q.limit + 1);
    const rows = await this.db().query<{ body: Collections[K] }>(
      `SELECT body FROM ${this.t(kind)} ${SqlStore.clause(conditions)}
       ORDER BY seq ${ascending ? "ASC" : "DESC"} LIMIT $${params.length}`,
      params,
    );
    const data = rows.slice(0, q.limit).map((r) => r.body);
    if (backwards) data.reverse();
    return { data, hasMore: rows.length > q.limit };
  }

  async nextSeq(): Promise<number> {
    const [row] = await this.db().query<{ n: string }>(`SELECT nextval('${this.s}.seq')::text AS n`);
    return Number(row!.n);
  }

  /** Moves the sequence past `seq` (imported records keep theirs). */
  async seqAtLeast(seq: number): Promise<void> {
    await this.db().query(
      `SELECT setval('${this.s}.seq', greatest($1::bigint, (SELECT last_value FROM ${this.s}.seq)))`,
      [seq],
    );
  }

  async getMeta<T>(name: string): Promise<T | undefined> {
    const [row] = await this.db().query<{ value: T }>(`SELECT value FROM ${this.s}.meta WHERE name = $1`, [
      name,
    ]);
    return row?.value;
  }

  async setMeta(name: string, value: unknown): Promise<void> {
    await this.db().query(
      `INSERT INTO ${this.s}.meta (name, value) VALUES ($1, $2::json)
       ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`,
      [name, JSON.stringify(value)],
    );
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.tx.current()) return fn();
    for (let attempt = 1; ; attempt++) {
      let frame: SqlFrame | undefined;
      try {
        const result = await this.database.transaction((db) => {
          frame = { open: true, afterCommit: [], db };
          return this.tx.run(frame, fn);
        });
        this.tx.committed(frame!);
        return result;
      } catch (e) {
        if (frame) frame.open = false;
        const code = (e as { code?: string }).code;
        if (attempt < 3 && code && RETRYABLE.has(code)) continue;
        throw e;
      }
    }
  }

  afterCommit(fn: () => void): void {
    this.tx.afterCommit(fn);
  }

  async clear(): Promise<void> {
    await this.db().query(`TRUNCATE ${KINDS.map((k) => this.t(k)).join(", ")}`);
    for (const dir of [this.blobDir, this.chunkDir]) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
    }
  }

  async close(): Promise<void> {
    if (this.ownsDatabase) await this.database.close();
  }
}
