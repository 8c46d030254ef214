import "server-only";
/**
 * Prompt sets, results of running them, and kept comparisons, stored on the server so a team shares
 * them: one JSON file per record under `<data dir>/evaluations/<collection>/<id>.json` (the data dir
 * is where access tokens live: PLAYGROUND_DATA_DIR, else beside the engine's data). Every body is
 * validated with the zod schemas of lib/evaluations/model.ts and bounded in size; writes go to a
 * temporary file renamed into place, so a reader never sees half a record.
 *
 *   GET    /api/playground/evaluations/<collection>        summaries, newest first
 *   POST   /api/playground/evaluations/<collection>        create (409 if the id exists)
 *   GET    /api/playground/evaluations/<collection>/<id>   the record (the file to export)
 *   PUT    /api/playground/evaluations/<collection>/<id>   create or replace
 *   DELETE /api/playground/evaluations/<collection>/<id>
 *
 * Collections: prompt-sets, runs, comparisons. Access: the same check as the proxy (a session, a
 * trusted principal or an access token; same-origin pages only).
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  COLLECTIONS,
  describeIssues,
  EVALUATION_LIMITS,
  ID_PATTERN,
  isCollectionName,
  type CollectionName,
  type Comparison,
  type EvaluationRun,
  type PromptSet,
} from "@/lib/evaluations/model";
import { totalsOf } from "@/lib/evaluations/report";
import { AccessDenied, authorize, deniedResponse, getPolicy, type AccessPolicy } from "./auth";

const NO_STORE = { "cache-control": "no-store", "x-content-type-options": "nosniff" };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

function errorBody(err: HttpError): Response {
  return Response.json(
    { error: { code: err.code, message: err.message, type: "invalid_request_error", param: err.param } },
    { status: err.status, headers: NO_STORE },
  );
}

async function guard(run: () => Response | Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AccessDenied) return deniedResponse(err);
    if (err instanceof HttpError) return errorBody(err);
    throw err;
  }
}

export type Summary = Record<string, unknown> & { id: string; updated: number };

function summaryOf(collection: CollectionName, record: unknown, mtimeMs: number): Summary {
  if (collection === "prompt-sets") {
    const s = record as PromptSet;
    return {
      id: s.id,
      name: s.name,
      description: s.description,
      prompts: s.prompts.length,
      updated: s.updated_at,
    };
  }
  if (collection === "runs") {
    const r = record as EvaluationRun;
    return {
      id: r.id,
      promptSetId: r.promptSetId,
      promptSetName: r.promptSetName,
      status: r.status,
      started_at: r.started_at,
      finished_at: r.finished_at,
      rerunOf: r.rerunOf ?? null,
      configurations: r.configurations.map((c) => c.label),
      prompts: r.prompts.length,
      totals: totalsOf(r.cells),
      updated: r.finished_at ?? r.started_at,
    };
  }
  const c = record as Comparison;
  return {
    id: c.id,
    name: c.name,
    message: c.message.slice(0, 200),
    configurations: c.configurations.map((x) => x.label),
    created_at: c.created_at,
    updated: Math.floor(mtimeMs / 1000),
  };
}

interface CachedSummary {
  mtimeMs: number;
  summary: Summary;
}
// Summaries by file, kept while the file is unchanged: listing must not re-read every run's results.
const summaries: Map<string, CachedSummary> = ((
  globalThis as { __playgroundEvaluationSummaries?: Map<string, CachedSummary> }
).__playgroundEvaluationSummaries ??= new Map());

export class EvaluationStore {
  constructor(readonly root: string) {}

  private dir(collection: CollectionName) {
    return path.join(/* turbopackIgnore: true */ this.root, collection);
  }

  private file(collection: CollectionName, id: string) {
    if (!ID_PATTERN.test(id))
      throw new HttpError(400, "invalid_id", "Ids are 1–64 letters, digits, '_' or '-'.", "id");
    return path.join(/* turbopackIgnore: true */ this.dir(collection), `${id}.json`);
  }

  list(collection: CollectionName): Summary[] {
    let names: string[] = [];
    try {
      names = readdirSync(this.dir(collection)).filter((n) => n.endsWith(".json"));
    } catch {
      return [];
    }
    const out: { summary: Summary; mtimeMs: number }[] = [];
    for (const name of names) {
      const file = path.join(/* turbopackIgnore: true */ this.dir(collection), name);
      try {
        const mtimeMs = statSync(file).mtimeMs;
        let cached = summaries.get(file);
        if (!cached || cached.mtimeMs !== mtimeMs) {
          cached = {
            mtimeMs,
            summary: summaryOf(collection, JSON.parse(readFileSync(file, "utf8")), mtimeMs),
          };
          summaries.set(file, cached);
        }
        out.push({ summary: cached.summary, mtimeMs });
      } catch {
        // Removed meanwhile, or not ours: left out of the list.
      }
    }
    // Times are in seconds: within one second, the file written last is the newer record.
    return out
      .sort((a, b) => b.summary.updated - a.summary.updated || b.mtimeMs - a.mtimeMs)
      .map((o) => o.summary);
  }

  get(collection: CollectionName, id: string): unknown {
    try {
      return JSON.parse(readFileSync(this.file(collection, id), "utf8"));
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError(404, "not_found", `No ${collection.replace(/s$/, "").replace("-", " ")} ${id}.`);
    }
  }

  /** Validates and writes; `create` refuses an existing id. Returns whether a record was replaced. */
  put(
    collection: CollectionName,
    id: string,
    body: unknown,
    mode: "create" | "replace",
  ): { record: unknown; created: boolean } {
    const parsed = COLLECTIONS[collection].safeParse(body);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error);
      throw new HttpError(
        400,
        "invalid_record",
        `The ${collection.replace(/s$/, "").replace("-", " ")} is not valid: ${issues.slice(0, 5).join("; ")}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ""}`,
        parsed.error.issues[0]?.path.join(".") || null,
      );
    }
    if (parsed.data.id !== id)
      throw new HttpError(400, "id_mismatch", "The body's id differs from the path's.", "id");
    const file = this.file(collection, id);
    let exists = true;
    try {
      statSync(file);
    } catch {
      exists = false;
    }
    if (exists && mode === "create")
      throw new HttpError(409, "already_exists", `${id} exists already; PUT it to replace it.`, "id");
    if (!exists && this.list(collection).length >= EVALUATION_LIMITS.recordsPerCollection)
      throw new HttpError(
        409,
        "too_many_records",
        `This server keeps at most ${EVALUATION_LIMITS.recordsPerCollection} ${collection}; delete some first.`,
      );
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    writeFileSync(tmp, JSON.stringify(parsed.data), { mode: 0o600 });
    renameSync(tmp, file);
    return { record: parsed.data, created: !exists };
  }

  delete(collection: CollectionName, id: string): void {
    const file = this.file(collection, id);
    try {
      statSync(file);
    } catch {
      throw new HttpError(404, "not_found", `No such record: ${id}.`);
    }
    rmSync(file, { force: true });
    summaries.delete(file);
  }
}

export function evaluationStore(policy: AccessPolicy = getPolicy()): EvaluationStore {
  return new EvaluationStore(path.join(/* turbopackIgnore: true */ policy.dataDir, "evaluations"));
}

function collectionOf(value: string): CollectionName {
  if (!isCollectionName(value))
    throw new HttpError(404, "unknown_collection", "Collections are prompt-sets, runs and comparisons.");
  return value;
}

/** The body as JSON, refused past the record size without reading the rest. */
async function readBody(request: Request): Promise<unknown> {
  const max = EVALUATION_LIMITS.recordBytes;
  const tooLarge = () => new HttpError(413, "too_large", `A record is at most ${max / 1024 / 1024} MB.`);
  if (Number(request.headers.get("content-length") ?? 0) > max) throw tooLarge();
  if (!request.body) throw new HttpError(400, "invalid_request_body", "Send the record as a JSON body.");
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      void reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "invalid_request_body", "The body is not valid JSON.");
  }
}

const ACCESS = { tokens: true, origin: true } as const;

export function listRecords(request: Request, collection: string, policy = getPolicy()): Promise<Response> {
  return guard(() => {
    authorize(request, ACCESS, policy);
    const name = collectionOf(collection);
    return Response.json({ object: "list", data: evaluationStore(policy).list(name) }, { headers: NO_STORE });
  });
}

export function createRecord(request: Request, collection: string, policy = getPolicy()): Promise<Response> {
  return guard(async () => {
    authorize(request, ACCESS, policy);
    const name = collectionOf(collection);
    const body = await readBody(request);
    const id = (body as { id?: unknown } | null)?.id;
    if (typeof id !== "string") throw new HttpError(400, "invalid_record", "The record needs an id.", "id");
    const { record } = evaluationStore(policy).put(name, id, body, "create");
    return Response.json(record, { status: 201, headers: NO_STORE });
  });
}

export function getRecord(
  request: Request,
  collection: string,
  id: string,
  policy = getPolicy(),
): Promise<Response> {
  return guard(() => {
    authorize(request, ACCESS, policy);
    return Response.json(evaluationStore(policy).get(collectionOf(collection), id), { headers: NO_STORE });
  });
}

export function putRecord(
  request: Request,
  collection: string,
  id: string,
  policy = getPolicy(),
): Promise<Response> {
  return guard(async () => {
    authorize(request, ACCESS, policy);
    const name = collectionOf(collection);
    const { record, created } = evaluationStore(policy).put(name, id, await readBody(request), "replace");
    return Response.json(record, { status: created ? 201 : 200, headers: NO_STORE });
  });
}

export function deleteRecord(
  request: Request,
  collection: string,
  id: string,
  policy = getPolicy(),
): Promise<Response> {
  return guard(() => {
    authorize(request, ACCESS, policy);
    evaluationStore(policy).delete(collectionOf(collection), id);
    return Response.json({ id, deleted: true }, { headers: NO_STORE });
  });
}
