/**
 * The two ways the engine reaches Postgres, behind one small interface: PGlite (Postgres compiled to
 * WebAssembly, in this process, data in a directory) and PostgreSQL over the network with `pg`'s
 * Pool. The SQL is the same for both (./store.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type { Pool, PoolClient } from "pg";

export interface SqlRunner {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface SqlDatabase extends SqlRunner {
  /** Runs `fn` between BEGIN and COMMIT on one connection (ROLLBACK when it throws). */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Runs statements separated by `;` (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  readonly kind: "pglite" | "postgres";
}

/**
 * A freshly initialised PGlite cluster, kept in the temporary directory: `initdb` in WebAssembly
 * takes seconds, loading this takes about one, so every new data directory (and every test
 * engine) after the first on a machine starts from it. A template that does not load is replaced.
 */
const TEMPLATE = path.join(os.tmpdir(), "assistants-engine-pglite-template-1.tar");

/** Embedded Postgres in `dir` (created when missing; in memory without one). */
export async function openPglite(dir: string | undefined): Promise<SqlDatabase> {
  const { PGlite } = await import("@electric-sql/pglite");
  const fresh = !dir || !fs.existsSync(path.join(/* turbopackIgnore: true */ dir, "PG_VERSION"));
  let db: PGlite | undefined;
  if (fresh) {
    const template = await fs.promises.readFile(TEMPLATE).catch(() => null);
    if (template) {
      db = await PGlite.create(dir, { loadDataDir: new Blob([template]) }).catch(() => undefined);
      if (!db && dir) await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }
  if (!db) {
    db = await PGlite.create(dir);
    if (fresh) await saveTemplate(db);
  }
  const pglite = db;
  const runner = (q: PGlite | Transaction): SqlRunner => ({
    async query<T>(sql: string, params?: unknown[]) {
      return (await q.query<T>(sql, params)).rows;
    },
  });
  return {
    kind: "pglite",
    ...runner(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn(runner(tx))),
    async exec(sql) {
      await pglite.exec(sql);
    },
    close: () => pglite.close(),
  };
}

async function saveTemplate(db: PGlite): Promise<void> {
  try {
    const dump = await db.dumpDataDir("none");
    const tmp = `${TEMPLATE}.${process.pid}.${Date.now()}.tmp`;
    await fs.promises.writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await fs.promises.rename(tmp, TEMPLATE);
  } catch {
    // Only a cache: the next start initialises again.
  }
}

/** PostgreSQL at `url` through a pool; each transaction holds one client until it ends. */
export async function openPostgres(
  url: string,
  options: { max?: number; allowExitOnIdle?: boolean } = {},
): Promise<SqlDatabase> {
  const pg = await import("pg");
  const PoolClass = (pg.default?.Pool ?? pg.Pool) as typeof Pool;
  const pool = new PoolClass({
    connectionString: url,
    max: options.max ?? 10,
    allowExitOnIdle: options.allowExitOnIdle ?? false,
  });
  // An idle client that loses its connection must not crash the process.
  pool.on("error", (e) => console.error("[engine] database connection:", e.message));
  const runner = (q: Pool | PoolClient): SqlRunner => ({
    async query<T>(sql: string, params?: unknown[]) {
      return (await q.query(sql, params)).rows as T[];
    },
  });
  return {
    kind: "postgres",
    ...runner(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(runner(client));
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}
