// The database engines under test use, chosen by ENGINE_TEST_STORE: `pglite` (default; one in-memory
// PGlite per test file), `postgres` (the server at DATABASE_URL; `npm test` starts one) or `json`
// (the older folder store). Each engine gets its own schema, so tests never see each other's objects.
import { randomUUID } from "node:crypto";
import { openPglite, openPostgres, type DatabaseOption, type SqlDatabase } from "@/lib/engine";

export type TestStoreKind = "pglite" | "postgres" | "json";

export function testStoreKind(): TestStoreKind {
  const v = process.env.ENGINE_TEST_STORE ?? "pglite";
  if (v !== "pglite" && v !== "postgres" && v !== "json")
    throw new Error(`ENGINE_TEST_STORE must be pglite, postgres or json, not '${v}'`);
  return v;
}

let shared: Promise<SqlDatabase> | undefined;

/** The test file's database (opened once). A postgres run without DATABASE_URL fails: it never skips. */
export function sharedTestDatabase(): Promise<SqlDatabase> {
  const kind = testStoreKind();
  if (kind === "json") throw new Error("ENGINE_TEST_STORE=json has no database");
  if (!shared) {
    if (kind === "postgres") {
      const url = process.env.DATABASE_URL;
      if (!url) throw new Error("ENGINE_TEST_STORE=postgres needs DATABASE_URL (npm test starts a server)");
      shared = openPostgres(url, { max: 4, allowExitOnIdle: true });
    } else shared = openPglite(undefined);
  }
  return shared;
}

/** A fresh, empty place for one engine's state (pass it again to reopen the same state). */
export async function testDatabaseOption(): Promise<DatabaseOption> {
  if (testStoreKind() === "json") return "json";
  return { database: await sharedTestDatabase(), schema: `t_${randomUUID().replace(/-/g, "")}` };
}

/** Drops what `testDatabaseOption` made (the shared database stays for the file's next engine). */
export async function dropTestDatabase(option: DatabaseOption): Promise<void> {
  if (typeof option === "string" || !("database" in option) || !option.schema) return;
  await option.database.exec(`DROP SCHEMA IF EXISTS "${option.schema}" CASCADE`);
}
