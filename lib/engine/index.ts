/**
 * The local Assistants engine: the Azure OpenAI Assistants REST surface as a Fetch handler.
 * See ./README.md.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { generationOf, surfaceOf, type Surface } from "./api-versions";
import { toFoundrySurface } from "./foundry";
import { Core } from "./core";
import { EngineError, errorBody, errors } from "./errors";
import { assistantRoutes } from "./handlers/assistants";
import { fileRoutes } from "./handlers/files";
import { runRoutes } from "./handlers/runs";
import { threadRoutes } from "./handlers/threads";
import { vectorStoreRoutes } from "./handlers/vector-stores";
import { checkPath, json, type Ctx } from "./http";
import { VectorIngestor } from "./ingest";
import { ExtractionPool, type ExtractionOptions } from "./extract/pool";
import { createScriptedModel } from "./model/scripted";
import type { Generation, Model } from "./model/types";
import { Runner } from "./runner";
import type { Route, Services } from "./services";
import { deferredStore, openStore, type DatabaseOption } from "./sql/open";
import { LIMITS } from "./limits";
import { OFF_STATUS } from "./sandbox/execute";
import type { CodeSandbox } from "./sandbox/types";
import { importBackup, type BackupImport, type ImportOptions, type ImportReport } from "./backup";

export type { Model } from "./model/types";
export type { CodeSandbox, SandboxStatus } from "./sandbox/types";
export { LIMITS } from "./limits";
export { API_VERSIONS, DEFAULT_API_VERSION, ENGINE_API_VERSIONS, FOUNDRY_API_VERSIONS } from "./api-versions";
export type { BackupImport, ImportOptions, ImportReport } from "./backup";
export type { ExtractionOptions } from "./extract/pool";
export type { DatabaseOption } from "./sql/open";
export { openPglite, openPostgres, type SqlDatabase } from "./sql/db";

export interface EngineOptions {
  /** Where state persists (the embedded database, file bytes, chunks). Created if missing. */
  dataDir: string;
  /**
   * The database: PGlite in `<dataDir>/pg` (default), PostgreSQL (`{ url }`), a database opened by
   * the caller (`{ database, schema }`), or the older JSON folder (`"json"`). See ./README.md "State".
   */
  database?: DatabaseOption;
  /** The model behind runs. Default: the scripted model. */
  model?: Model;
  /** Value of the `openai-poll-after-ms` header on run responses. Default 100. */
  pollAfterMs?: number;
  /** Seconds from run creation to `expires_at`. Default 600. */
  runExpirySeconds?: number;
  /** Serve `/_engine/*` control endpoints (reset, health). Default true. */
  controlEndpoints?: boolean;
  /** Largest accepted upload. Default LIMITS.maxFileBytes (512 MB); tests lower it. */
  maxFileBytes?: number;
  /** Text extraction for vector stores: worker threads and per-document budgets (README). */
  extraction?: ExtractionOptions;
  /**
   * Runs code-interpreter code (./sandbox: `createSandbox`). Default none: the scripted model then
   * draws its charts itself and a real model is told code interpreter cannot run. The engine closes it.
   */
  codeSandbox?: CodeSandbox;
}

export interface Engine {
  /**
   * Handles `/openai/<path>?api-version=…` (Azure shape; Foundry's surface with Foundry's
   * api-versions), `/v1/<path>` (OpenAI shape, latest v2), and `/_engine/*` control endpoints.
   */
  fetch(request: Request): Promise<Response>;
  /** Stops timers and flushes state. */
  close(): Promise<void>;
  /** Imports a backup with its ids (./backup.ts); file bytes are moved from their staging paths. */
  importBackup?(input: BackupImport, options?: ImportOptions): Promise<ImportReport>;
  readonly model: Model;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

const ROUTES: CompiledRoute[] = [
  ...assistantRoutes,
  ...threadRoutes,
  ...runRoutes,
  ...fileRoutes,
  ...vectorStoreRoutes,
].map((r) => {
  const names: string[] = [];
  const pattern = r.path.replace(/:([a-z_]+)/g, (_, n: string) => {
    names.push(n);
    return "([A-Za-z0-9_-]+)";
  });
  return { ...r, regex: new RegExp(`^${pattern}$`), names };
});

/** The newest generation, for `/v1/...` without an api-version. */
const LATEST_GENERATION: Generation = "v2";

export function createEngine(options: EngineOptions): Engine {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const store = deferredStore(openStore(options.dataDir, options.database), options.dataDir);
  const model = options.model ?? createScriptedModel();
  const pollAfterMs = options.pollAfterMs ?? 100;
  const core = new Core(store, model, {
    pollAfterMs,
    runExpirySeconds: options.runExpirySeconds ?? 600,
    maxFileBytes: options.maxFileBytes ?? LIMITS.maxFileBytes,
  });
  const extraction = new ExtractionPool(options.extraction);
  const ingestor = new VectorIngestor(core, extraction);
  core.ingestor = ingestor;
  core.sandbox = options.codeSandbox ?? null;
  const runner = new Runner(core, ingestor);
  const services: Services = { core, runner, ingestor };
  const controlEndpoints = options.controlEndpoints ?? true;

  // Requests wait for this: runs left active by a previous process end honestly, and unfinished
  // ingestion starts again.
  const ready = (async () => {
    await runner.recoverAfterRestart();
    for (const vsf of await store.list("vector_store_file", { eq: { status: "in_progress" } }))
      ingestor.enqueue(vsf);
  })();
  // A failure here is answered on each request (below), not thrown unhandled.
  ready.catch(() => {});

  async function control(request: Request, path: string): Promise<Response> {
    if (path === "/_engine/health" && request.method === "GET")
      return json({
        status: "ok",
        model: { id: model.id, label: model.label },
        codeSandbox: core.sandbox?.status() ?? OFF_STATUS,
        dataDir: options.dataDir,
      });
    if (path === "/_engine/reset" && request.method === "POST") {
      await services.runner.close();
      services.ingestor.close();
      await store.clear();
      reopenIngestor();
      return json({ status: "reset" });
    }
    if (path === "/_engine/idle" && request.method === "POST") {
      await services.ingestor.whenIdle();
      return json({ status: "idle" });
    }
    throw errors.resourceNotFound();
  }

  function reopenIngestor(): void {
    const next = new VectorIngestor(core, extraction);
    core.ingestor = next;
    services.ingestor = next;
    services.runner = new Runner(core, next);
  }

  async function handle(request: Request): Promise<Response> {
    await ready;
    const url = new URL(request.url);
    checkPath(url.pathname);
    let path = url.pathname.replace(/\/+$/, "");
    if (path.startsWith("/_engine/")) {
      if (!controlEndpoints) throw errors.resourceNotFound();
      return control(request, path);
    }
    let generation: Generation;
    let surface: Surface = "azure";
    const apiVersion = url.searchParams.get("api-version");
    if (path.startsWith("/openai/")) {
      path = path.slice("/openai".length);
      if (!apiVersion) throw errors.resourceNotFound();
      const g = generationOf(apiVersion);
      if (!g) throw errors.apiVersionNotSupported();
      generation = g;
      surface = surfaceOf(apiVersion) ?? "azure";
    } else if (path.startsWith("/v1/")) {
      path = path.slice("/v1".length);
      if (apiVersion) {
        const g = generationOf(apiVersion);
        if (!g) throw errors.apiVersionNotSupported();
        generation = g;
        surface = surfaceOf(apiVersion) ?? "azure";
      } else generation = LATEST_GENERATION;
    } else {
      throw errors.resourceNotFound();
    }
    // Literal segments win over parameters (`/threads/runs` is not thread "runs").
    const matches = ROUTES.filter((r) => r.regex.test(path)).sort((a, b) => a.names.length - b.names.length);
    if (matches.length === 0) throw errors.resourceNotFound();
    const route = matches.find((r) => r.method === request.method);
    if (!route) throw errors.methodNotAllowed(request.method);
    if (route.only && route.only !== generation) throw errors.resourceNotFound();
    const m = route.regex.exec(path)!;
    const params: Record<string, string> = {};
    route.names.forEach((n, i) => (params[n] = m[i + 1]!));
    const ctx: Ctx = { request, url, generation, params };
    let response = await route.handler(services, ctx);
    if (surface === "foundry") response = await toFoundrySurface(request.method, route.path, response);
    // The SDK's poll helpers (runs, vector-store files and batches) sleep this long between polls.
    response.headers.set("openai-poll-after-ms", String(pollAfterMs));
    return response;
  }

  return {
    model,
    async fetch(request) {
      const requestId = randomUUID();
      let response: Response;
      try {
        response = await handle(request);
      } catch (e) {
        const err =
          e instanceof EngineError ? e : errors.internal(`Internal engine error: ${(e as Error).message}`);
        if (!(e instanceof EngineError)) console.error("[engine]", e);
        response = json(errorBody(err), err.status, err.headers);
      }
      response.headers.set("apim-request-id", requestId);
      response.headers.set("x-request-id", requestId);
      return response;
    },
    importBackup: (input, opts) => importBackup(core, input, opts),
    async close() {
      await services.runner.close();
      services.ingestor.close();
      await extraction.close();
      await core.sandbox?.close();
      await ready.catch(() => {});
      await store.close();
    },
  };
}
