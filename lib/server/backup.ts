import "server-only";
/**
 * POST /api/playground/backup/restore: a backup archive (docs/backup.md) into a local engine, ids
 * and runs included. The zip is read as it streams in (fflate's streaming Unzip): JSON entries are
 * kept (bounded), file bytes go straight to a staging directory beside the engine's data and are
 * moved in by the engine's importBackup. Same access check as the proxy; the body, the JSON and
 * every file's inflated size are bounded (BACKUP_LIMITS).
 *
 *   ?dryRun=true          only report which ids already exist
 *   ?onConflict=skip      keep existing objects, import the rest (default: refuse with 409)
 *   x-playground-connection: <a local connection> (default: the default connection, if local)
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Unzip, UnzipInflate, type UnzipFile } from "fflate";
import type { BackupImport, Engine } from "@/lib/engine";
import { EngineError } from "@/lib/engine/errors";
import {
  ARCHIVE_ENTRIES,
  ARCHIVE_ID_PATTERN,
  ARCHIVE_JSON_ENTRIES,
  BACKUP_FORMAT,
  BACKUP_VERSION,
  fileIdOfEntry,
  isThreadEntry,
} from "@/lib/protocol/backup-archive";
import { LIMITS } from "@/lib/protocol/limits";
import { resolveConnection } from "./connections";
import { getEngineFor } from "./engine";
import { checkAccess } from "./proxy/access";
import { errorResponse, ProxyError } from "./proxy/errors";

const GiB = 1024 * 1024 * 1024;
export const BACKUP_LIMITS = {
  /** The whole archive. */
  archive: 2 * GiB,
  /** All JSON entries together (held in memory while the archive is read). */
  json: 256 * 1024 * 1024,
  /** One file's bytes, inflated: the engine's largest upload. */
  fileBytes: LIMITS.maxFileBytes,
};

/** Compressed bytes per push: deflate inflates at most ~1032:1, so one push yields ≤ ~4 MB. */
const SLICE = 4 * 1024;

function backupError(status: number, code: string, message: string): Response {
  return new Response(
    JSON.stringify({ error: { code, message, type: "invalid_request_error", param: null } }),
    {
      status,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    },
  );
}

class BadArchive extends Error {}

interface Staged {
  json: Map<string, string>;
  /** file id → staged path */
  files: Map<string, string>;
}

/** Reads the zip from `body` as it arrives; file entries are written to `dir` (no file held whole in memory). */
async function stageArchive(
  body: ReadableStream<Uint8Array>,
  dir: string,
  limits: typeof BACKUP_LIMITS,
): Promise<Staged> {
  const staged: Staged = { json: new Map(), files: new Map() };
  let jsonBytes = 0;
  let failure: Error | null = null;
  let open = 0;
  const fds = new Set<number>();
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (file: UnzipFile) => {
    const name = file.name;
    const fileId = fileIdOfEntry(name);
    const isJson = ARCHIVE_JSON_ENTRIES.includes(name) || isThreadEntry(name);
    if (fileId !== null) {
      const id = fileId;
      const target = path.join(/* turbopackIgnore: true */ dir, id);
      const fd = fs.openSync(target, "w");
      fds.add(fd);
      staged.files.set(id, target);
      open++;
      let written = 0;
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        fs.closeSync(fd);
        fds.delete(fd);
        open--;
      };
      file.ondata = (err, data, final) => {
        if (closed) return;
        if (err) failure ??= new BadArchive(`The archive entry ${name} is damaged: ${err.message}`);
        else if (written + data.length > limits.fileBytes) {
          // Counted as it inflates: a small entry can declare anything and inflate to gigabytes.
          failure ??= new BadArchive(
            `The archive entry ${name} inflates to more than ${limits.fileBytes} bytes, more than the largest file the engine accepts.`,
          );
          file.terminate();
          close();
          fs.rmSync(target, { force: true });
          return;
        } else if (data.length) {
          fs.writeSync(fd, data);
          written += data.length;
        }
        if (err || final) close();
      };
      file.start();
    } else if (isJson) {
      const parts: Uint8Array[] = [];
      open++;
      file.ondata = (err, data, final) => {
        if (err) failure ??= new BadArchive(`The archive entry ${name} is damaged: ${err.message}`);
        else {
          jsonBytes += data.length;
          if (jsonBytes > limits.json)
            failure ??= new BadArchive("The archive's JSON is larger than this server accepts.");
          else parts.push(data);
        }
        if (err || final) {
          staged.json.set(name, Buffer.concat(parts).toString("utf8"));
          open--;
        }
      };
      file.start();
    }
    // Anything else in the zip is ignored.
  };
  try {
    return await readInto(
      body,
      unzip,
      limits,
      () => failure,
      () => open,
      staged,
    );
  } finally {
    for (const fd of fds) fs.closeSync(fd);
  }
}

async function readInto(
  body: ReadableStream<Uint8Array>,
  unzip: Unzip,
  limits: typeof BACKUP_LIMITS,
  failed: () => Error | null,
  openEntries: () => number,
  staged: Staged,
): Promise<Staged> {
  const reader = body.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limits.archive) {
      await reader.cancel().catch(() => {});
      throw new ProxyError(
        413,
        "request_too_large",
        `The archive is larger than this server accepts (${limits.archive} bytes).`,
      );
    }
    // In small slices, so no single push inflates more than a few MB before the limits are checked.
    for (let at = 0; at < value.byteLength; at += SLICE) {
      try {
        unzip.push(value.subarray(at, at + SLICE), false);
      } catch (err) {
        throw new BadArchive(`This is not a readable zip archive (${(err as Error).message}).`);
      }
      const failure = failed();
      if (failure) {
        await reader.cancel().catch(() => {});
        throw failure;
      }
    }
  }
  try {
    unzip.push(new Uint8Array(0), true);
  } catch (err) {
    throw new BadArchive(`This is not a readable zip archive (${(err as Error).message}).`);
  }
  // UnzipInflate works synchronously: every complete entry has ended by now.
  const failure = failed();
  if (failure) throw failure;
  if (openEntries() > 0) throw new BadArchive("The archive is truncated: some entries are incomplete.");
  return staged;
}

function parse(staged: Staged, name: string): unknown {
  const text = staged.json.get(name);
  if (text === undefined) throw new BadArchive(`The archive has no ${name}; is it a playground backup?`);
  try {
    return JSON.parse(text);
  } catch {
    throw new BadArchive(`${name} in the archive is not valid JSON.`);
  }
}

const list = (v: unknown, name: string): unknown[] => {
  if (!Array.isArray(v)) throw new BadArchive(`${name} in the archive is not a list.`);
  return v;
};

/** The engine's import input from a staged archive. */
export function toImport(staged: Staged): BackupImport {
  const E = ARCHIVE_ENTRIES;
  const manifest = parse(staged, E.manifest) as { format?: unknown; version?: unknown; files?: unknown };
  if (manifest?.format !== BACKUP_FORMAT)
    throw new BadArchive(
      `This zip is not an Assistants Playground backup (${E.manifest} names another format).`,
    );
  if (manifest.version !== BACKUP_VERSION)
    throw new BadArchive(
      `This backup has format version ${String(manifest.version)}; this server reads version ${BACKUP_VERSION}.`,
    );
  const inArchive = new Set(
    list(manifest.files ?? [], `${E.manifest} files`)
      .map((f) => (f as { id?: unknown }).id)
      .filter((id): id is string => typeof id === "string" && ARCHIVE_ID_PATTERN.test(id)),
  );
  const files = list(parse(staged, E.files), E.files).map((object) => {
    const id = (object as { id?: unknown })?.id;
    const source = typeof id === "string" && inArchive.has(id) ? (staged.files.get(id) ?? null) : null;
    return { object, source };
  });
  const vectorStores = list(parse(staged, E.vectorStores), E.vectorStores).map((v) => {
    const o = (v ?? {}) as { vector_store?: unknown; files?: unknown };
    return { vector_store: o.vector_store, files: list(o.files ?? [], "vector store files") };
  });
  const threads = [...staged.json.keys()]
    .filter(isThreadEntry)
    .sort()
    .map((n) => {
      const t = (parse(staged, n) ?? {}) as { thread?: unknown; messages?: unknown; runs?: unknown };
      return {
        thread: t.thread,
        messages: list(t.messages ?? [], `${n} messages`),
        runs: list(t.runs ?? [], `${n} runs`).map((r) => {
          const o = (r ?? {}) as { run?: unknown; steps?: unknown };
          return { run: o.run, steps: list(o.steps ?? [], `${n} steps`) };
        }),
      };
    });
  return {
    assistants: list(parse(staged, E.assistants), E.assistants),
    files,
    vectorStores,
    threads,
  };
}

function engineForRequest(request: Request): Engine {
  const connection = resolveConnection(request.headers);
  if (connection.kind !== "local")
    throw new ProxyError(
      400,
      "invalid_request_body",
      `Connection "${connection.name}" is not a local engine: restore into it from the browser (assistants, files and vector stores are recreated, threads replayed).`,
    );
  return getEngineFor(connection.config);
}

export async function restoreBackup(request: Request, limits = BACKUP_LIMITS): Promise<Response> {
  let dir: string | null = null;
  try {
    await checkAccess(request);
    const url = new URL(request.url);
    const dryRun = url.searchParams.get("dryRun") === "true";
    const onConflict = url.searchParams.get("onConflict") === "skip" ? "skip" : "refuse";
    const declared = Number(request.headers.get("content-length") ?? "");
    if (Number.isFinite(declared) && declared > limits.archive)
      throw new ProxyError(
        413,
        "request_too_large",
        `The archive is larger than this server accepts (${limits.archive} bytes).`,
      );
    if (!request.body)
      return backupError(400, "invalid_backup", "Send the backup archive (.zip) as the request body.");
    const engine = engineForRequest(request);
    if (!engine.importBackup)
      throw new ProxyError(503, "engine_unavailable", "This engine cannot import backups.");
    dir = path.join(/* turbopackIgnore: true */ engineDataDirOf(request), ".import", randomUUID());
    fs.mkdirSync(dir, { recursive: true });
    const staged = await stageArchive(request.body, dir, limits);
    const report = await engine.importBackup(toImport(staged), { onConflict, dryRun });
    return new Response(JSON.stringify(report), {
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    });
  } catch (err) {
    if (err instanceof ProxyError) return errorResponse(err);
    if (err instanceof BadArchive) return backupError(400, "invalid_backup", err.message);
    if (err instanceof EngineError)
      return new Response(JSON.stringify({ error: err.body }), {
        status: err.status,
        headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
      });
    console.error(
      "[backup] restore failed:",
      err instanceof Error ? `${err.name}: ${err.message}` : typeof err,
    );
    return backupError(500, "internal_error", "The restore failed unexpectedly; see the server log.");
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The data directory of the local connection the request names (staging sits beside it, same filesystem). */
function engineDataDirOf(request: Request): string {
  const connection = resolveConnection(request.headers);
  if (connection.kind !== "local") throw new Error("not local");
  return connection.config.dataDir;
}
