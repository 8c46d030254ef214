import busboy from "busboy";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import type { Core } from "../core";
import { errors, EngineError } from "../errors";
import { ID_PREFIX, newId, nowSeconds } from "../ids";
import { extensionOf } from "../ingest";
import { json, listPage, pageQuery } from "../http";
import { LIMITS } from "../limits";
import type { FileRec } from "../records";
import * as render from "../render";
import type { Route } from "../services";

export const PURPOSES = {
  v1: ["fine-tune", "fine-tune-results", "assistants", "assistants_output"],
  v2: [
    "fine-tune",
    "fine-tune-results",
    "assistants",
    "assistants_output",
    "batch",
    "batch_output",
    "vision",
  ],
} as const;

const CONTENT_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  csv: "text/csv; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  json: "application/json",
  html: "text/html; charset=utf-8",
  pdf: "application/pdf",
  py: "text/x-python; charset=utf-8",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  zip: "application/zip",
};

export function contentTypeOf(filename: string): string {
  return CONTENT_TYPES[extensionOf(filename)] ?? "application/octet-stream";
}

/** Streams the multipart body to disk with busboy; the file never sits whole in memory. */
async function receiveUpload(
  core: Core,
  request: Request,
): Promise<{ fields: Record<string, string>; tmp: string; filename: string; bytes: number } | null> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data"))
    throw errors.invalid("Expected a multipart/form-data body with 'file' and 'purpose'.", "file");
  if (!request.body)
    throw errors.invalid("Missing required parameter: 'file'.", "file", "missing_required_parameter");
  const fields: Record<string, string> = {};
  let received: { tmp: string; filename: string; bytes: number } | null = null;
  let tooLarge = false;
  const writes: Promise<void>[] = [];
  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: { "content-type": contentType },
      limits: { fileSize: core.options.maxFileBytes + 1, files: 1, fields: 10 },
    });
  } catch {
    throw errors.invalid("Malformed multipart/form-data body.", "file");
  }
  bb.on("field", (name, value) => (fields[name] = value));
  bb.on("file", (name, stream, info) => {
    if (name !== "file" || received) {
      stream.resume();
      return;
    }
    const tmp = path.join(core.store.blobDir, `${newId("upload-")}.part`);
    const entry = { tmp, filename: fields.filename ?? info.filename ?? "upload", bytes: 0 };
    received = entry;
    stream.on("data", (c: Buffer) => (entry.bytes += c.length));
    // busboy truncates at `fileSize`; one byte more than the limit tells "too large" from "exactly the limit".
    stream.on("limit", () => (tooLarge = true));
    const w = pipeline(stream, fs.createWriteStream(tmp));
    w.catch(() => {});
    writes.push(w);
  });
  const done = new Promise<void>((resolve, reject) => {
    bb.on("close", () => resolve());
    bb.on("error", reject);
  });
  done.catch(() => {});
  try {
    await pipeline(Readable.fromWeb(request.body as unknown as NodeWebReadableStream<Uint8Array>), bb);
    await done;
    await Promise.all(writes);
  } catch (e) {
    const r = received as { tmp: string } | null;
    if (r) fs.rmSync(r.tmp, { force: true });
    if (e instanceof EngineError) throw e;
    throw errors.invalid(`The upload could not be read: ${(e as Error).message}`, "file");
  }
  const r = received as { tmp: string; filename: string; bytes: number } | null;
  if (r && tooLarge) {
    fs.rmSync(r.tmp, { force: true });
    throw errors.tooLarge(`File exceeds the maximum size of ${core.options.maxFileBytes} bytes.`);
  }
  if (!r) return null;
  return { fields, ...r, filename: fields.filename ?? r.filename };
}

/**
 * File bytes as a web stream that reads from disk only when the consumer pulls (a slow client must
 * not make the engine read a large file into memory ahead of it).
 */
function fileBody(handle: fs.promises.FileHandle): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const buf = Buffer.allocUnsafe(64 * 1024);
        const { bytesRead } = await handle.read(buf, 0, buf.length, null);
        if (bytesRead === 0) {
          await handle.close();
          controller.close();
          return;
        }
        controller.enqueue(new Uint8Array(buf.buffer, buf.byteOffset, bytesRead));
      },
      async cancel() {
        await handle.close();
      },
    },
    { highWaterMark: 0 },
  );
}

async function deleteFile(core: Core, f: FileRec): Promise<void> {
  await core.store.transaction(async () => {
    for (const vsf of await core.store.list("vector_store_file", { eq: { id: f.id } }))
      await core.removeVectorStoreFile(vsf);
    const uses = { contains: { tool_resources: { code_interpreter: { file_ids: [f.id] } } } };
    for (const kind of ["assistant", "thread"] as const) {
      for (const rec of await core.store.list(kind, uses)) {
        const ids = rec.tool_resources.code_interpreter?.file_ids ?? [];
        rec.tool_resources = {
          ...rec.tool_resources,
          code_interpreter: { file_ids: ids.filter((x) => x !== f.id) },
        };
        await core.store.put(kind, rec);
      }
    }
    await core.store.delete("file", f.id);
  });
  fs.rmSync(path.join(core.store.blobDir, f.id), { force: true });
}

export const fileRoutes: Route[] = [
  {
    method: "POST",
    path: "/files",
    async handler({ core }, ctx) {
      const upload = await receiveUpload(core, ctx.request);
      const cleanup = () => upload && fs.rmSync(upload.tmp, { force: true });
      const purpose = upload?.fields.purpose ?? "";
      if (!upload)
        throw errors.invalid("Missing required parameter: 'file'.", "file", "missing_required_parameter");
      if (!purpose) {
        cleanup();
        throw errors.invalid(
          "Missing required parameter: 'purpose'.",
          "purpose",
          "missing_required_parameter",
        );
      }
      if (!(PURPOSES[ctx.generation] as readonly string[]).includes(purpose)) {
        cleanup();
        throw errors.invalid(
          `Invalid value for 'purpose': '${purpose}'. Supported values are: ${PURPOSES[ctx.generation].map((p) => `'${p}'`).join(", ")}.`,
          "purpose",
        );
      }
      const rec: FileRec = {
        id: newId(ID_PREFIX.file),
        object: "file",
        created_at: nowSeconds(),
        _seq: await core.store.nextSeq(),
        bytes: upload.bytes,
        filename: upload.filename,
        purpose,
        status: "processed",
      };
      fs.renameSync(upload.tmp, path.join(core.store.blobDir, rec.id));
      await core.store.put("file", rec);
      return json(render.file(rec));
    },
  },
  {
    method: "GET",
    path: "/files",
    async handler({ core }, ctx) {
      const purpose = ctx.url.searchParams.get("purpose");
      const query = pageQuery(ctx.url, {
        maxLimit: LIMITS.filesListLimitMax,
        defaultLimit: LIMITS.filesListLimitMax,
      });
      return json(
        await listPage(
          () => core.store.page("file", purpose ? { contains: { purpose } } : {}, query),
          render.file,
        ),
      );
    },
  },
  {
    method: "GET",
    path: "/files/:file_id",
    handler: async ({ core }, ctx) => json(render.file(await core.file(ctx.params.file_id!))),
  },
  {
    method: "DELETE",
    path: "/files/:file_id",
    async handler({ core }, ctx) {
      const f = await core.file(ctx.params.file_id!);
      await deleteFile(core, f);
      return json({ id: f.id, object: "file", deleted: true });
    },
  },
  {
    method: "GET",
    path: "/files/:file_id/content",
    async handler({ core }, ctx) {
      const f = await core.file(ctx.params.file_id!);
      let handle: fs.promises.FileHandle;
      try {
        handle = await fs.promises.open(path.join(core.store.blobDir, f.id), "r");
      } catch {
        throw errors.notFound("file", f.id);
      }
      const body = fileBody(handle);
      return new Response(body, {
        status: 200,
        headers: {
          "content-type": contentTypeOf(f.filename),
          "content-length": String(f.bytes),
          "content-disposition": `attachment; filename="${f.filename.replace(/["\\\r\n]/g, "_")}"`,
        },
      });
    },
  },
];
