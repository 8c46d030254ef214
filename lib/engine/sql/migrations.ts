/**
 * The engine's schema, as numbered migrations applied in order on start. `schema_version` records
 * what ran; an advisory lock keeps two instances starting at once from migrating together. The
 * schema is documented in ../README.md ("State").
 */
import { KINDS } from "../store";
import type { SqlDatabase } from "./db";

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Kinds whose lists filter on JSON containment (tool resources, purposes, batch membership). */
const CONTAINMENT_KINDS = new Set(["assistant", "thread", "file", "vector_store_file"]);

/** Each migration's SQL for a schema; append new ones, never edit applied ones. */
export const MIGRATIONS: ((s: string) => string)[] = [
  (s) =>
    [
      `CREATE SEQUENCE ${s}.seq`,
      // One table per kind: the record as JSON (`json`, not `jsonb`, so objects keep their key
      // order: tool schemas and metadata come back as they were given) plus the columns lists use.
      ...KINDS.flatMap((kind) => {
        const t = `${s}.${quoteIdent(kind)}`;
        const ix = (name: string) => quoteIdent(`${kind}_${name}`);
        return [
          `CREATE TABLE ${t} (
            key text PRIMARY KEY,
            id text NOT NULL,
            seq bigint NOT NULL,
            created_at bigint NOT NULL,
            thread_id text,
            run_id text,
            vector_store_id text,
            status text,
            body json NOT NULL
          )`,
          `CREATE INDEX ${ix("seq")} ON ${t} (seq)`,
          ...(kind === "message" || kind === "run"
            ? [`CREATE INDEX ${ix("thread")} ON ${t} (thread_id, seq)`]
            : []),
          ...(kind === "message" || kind === "step"
            ? [`CREATE INDEX ${ix("run")} ON ${t} (run_id, seq)`]
            : []),
          ...(kind === "step" ? [`CREATE INDEX ${ix("thread")} ON ${t} (thread_id)`] : []),
          ...(kind === "run" || kind === "vector_store_file"
            ? [`CREATE INDEX ${ix("status")} ON ${t} (status)`]
            : []),
          ...(kind === "vector_store_file" || kind === "file_batch"
            ? [`CREATE INDEX ${ix("store")} ON ${t} (vector_store_id, seq)`]
            : []),
          ...(kind === "vector_store_file" ? [`CREATE INDEX ${ix("id")} ON ${t} (id)`] : []),
          ...(CONTAINMENT_KINDS.has(kind)
            ? [`CREATE INDEX ${ix("body")} ON ${t} USING gin ((body::jsonb) jsonb_path_ops)`]
            : []),
        ];
      }),
      // Which instance executes a run, until when (multi-instance: a run is claimed by one instance
      // and taken over when the lease lapses; ../README.md "Several instances").
      `ALTER TABLE ${s}.run ADD COLUMN owner text, ADD COLUMN lease_until bigint`,
      // Facts about this database: the JSON-folder import marker, for one.
      `CREATE TABLE ${s}.meta (name text PRIMARY KEY, value json NOT NULL)`,
    ].join(";\n"),
];

export async function migrate(db: SqlDatabase, schema: string): Promise<number> {
  const s = quoteIdent(schema);
  return db.transaction(async (tx) => {
    // Two instances starting together: one migrates, the other waits, then finds nothing to do.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`assistants-engine:${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const [row] = await tx.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${s}.schema_version`);
    const current = row?.v ?? 0;
    for (let v = current; v < MIGRATIONS.length; v++) {
      for (const statement of MIGRATIONS[v]!(s).split(";\n")) await tx.query(statement);
      await tx.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [v + 1]);
    }
    return MIGRATIONS.length;
  });
}
