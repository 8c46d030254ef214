// Each test gets a fresh engine on a fresh temporary dataDir, driven through the spec-checked SDK client.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { toFile } from "openai";
import { createEngine, type Engine, type EngineOptions } from "@/lib/engine";
import { specCheckedClient, type SpecCheckedClient } from "../helpers/sdk";
import { dropTestDatabase, testDatabaseOption } from "../helpers/test-database";

export const V1 = "2024-02-15-preview";
export const V2 = "2024-05-01-preview";
export const V2_0701 = "2024-07-01-preview";

export interface Harness {
  dir: string;
  engine: Engine;
  /** Spec-checked clients, by api-version. */
  v2: SpecCheckedClient;
  v1: SpecCheckedClient;
  v0701: SpecCheckedClient;
  client(apiVersion: string): SpecCheckedClient;
  restart(options?: Partial<EngineOptions>): Promise<void>;
  /** Takes the store away under the engine (its folder, or its schema): later writes fail. */
  breakStorage(): Promise<void>;
  /** How many records of a kind (`run`, `message`, …) the engine's store holds, read beside the engine. */
  storedCount(kind: string): Promise<number>;
  cleanup(): Promise<void>;
}

export async function makeHarness(options: Partial<EngineOptions> = {}): Promise<Harness> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "engine-test-"));
  const database = options.database ?? (await testDatabaseOption());
  let engine = createEngine({ dataDir: dir, pollAfterMs: 5, database, ...options });
  const clients: SpecCheckedClient[] = [];
  const handler = (req: Request) => engine.fetch(req);
  const client = (apiVersion: string) => {
    const c = specCheckedClient(handler, { apiVersion });
    clients.push(c);
    return c;
  };
  const h: Harness = {
    dir,
    get engine() {
      return engine;
    },
    v2: client(V2),
    v1: client(V1),
    v0701: client(V2_0701),
    client,
    async restart(more = {}) {
      await engine.close();
      engine = createEngine({ dataDir: dir, pollAfterMs: 5, database, ...options, ...more });
    },
    async breakStorage() {
      if (typeof database === "string" || !("database" in database))
        fs.rmSync(path.join(dir, "state"), { recursive: true, force: true });
      else await dropTestDatabase(database);
    },
    async storedCount(kind) {
      if (typeof database === "string" || !("database" in database)) {
        const folder = path.join(dir, "state", kind);
        return fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.endsWith(".json")).length : 0;
      }
      const [row] = await database.database.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM "${database.schema}"."${kind}"`,
      );
      return Number(row?.n);
    },
    async cleanup() {
      await engine.close();
      await dropTestDatabase(database);
      await fs.promises.rm(dir, { recursive: true, force: true });
      const violations = clients.flatMap((c) => c.violations);
      if (violations.length > 0) throw new Error(`spec violations:\n- ${violations.join("\n- ")}`);
    },
  };
  return h;
}

export function textFile(name: string, text: string) {
  return toFile(Buffer.from(text, "utf8"), name);
}

/** Polls until `check` returns a value (the engine's async work is quick, but not synchronous). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
