import { parseChunking, type Core } from "../core";
import { errors } from "../errors";
import { ID_PREFIX, newId, nowSeconds } from "../ids";
import { json, paginate, readJson, type Ctx } from "../http";
import { LIMITS } from "../limits";
import type { FileBatchRec, VectorStoreFileRec, VectorStoreRec } from "../records";
import * as render from "../render";
import { rejectUnknown, type Route } from "../services";
import * as v from "../validate";

const FILTERS = ["in_progress", "completed", "failed", "cancelled"];

function renderStore(core: Core, vs: VectorStoreRec) {
  const files = core.vectorStoreFiles(vs.id);
  return render.vectorStore(
    vs,
    render.countFiles(files),
    files.reduce((n, f) => n + f.usage_bytes, 0),
  );
}

function batchFiles(core: Core, b: FileBatchRec): VectorStoreFileRec[] {
  return core.vectorStoreFiles(b.vector_store_id).filter((f) => f._batchIds.includes(b.id));
}

function renderBatch(core: Core, b: FileBatchRec) {
  return render.fileBatch(b, render.countFiles(batchFiles(core, b)));
}

export function expiresAfter(body: Record<string, unknown>): number | null | undefined {
  const ea = body.expires_after;
  if (ea === undefined) return undefined;
  if (ea === null) return null;
  const o = ea as Record<string, unknown>;
  if (o.anchor !== "last_active_at")
    throw errors.invalid(
      "Invalid 'expires_after.anchor': expected 'last_active_at'.",
      "expires_after.anchor",
    );
  const days = v.optInt(o, "days", LIMITS.vectorStoreExpiryDays.min, LIMITS.vectorStoreExpiryDays.max);
  if (days == null)
    throw errors.invalid("Missing required parameter: 'expires_after.days'.", "expires_after.days");
  return days;
}

function filtered(ctx: Ctx, files: VectorStoreFileRec[]): VectorStoreFileRec[] {
  const filter = ctx.url.searchParams.get("filter");
  if (filter === null) return files;
  if (!FILTERS.includes(filter))
    throw errors.invalid(`Invalid value for 'filter': expected one of ${FILTERS.join(", ")}.`, "filter");
  return files.filter((f) => f.status === filter);
}

function vsFile(core: Core, vsId: string, fileId: string): VectorStoreFileRec {
  return (
    core.store.get("vector_store_file", `${vsId}__${fileId}`) ??
    (() => {
      throw errors.notFound("vector store file", fileId);
    })()
  );
}

function batch(core: Core, vsId: string, batchId: string): FileBatchRec {
  const b = core.store.get("file_batch", batchId);
  if (!b || b.vector_store_id !== vsId) throw errors.notFound("file batch", batchId);
  return b;
}

export const vectorStoreRoutes: Route[] = [
  {
    method: "GET",
    path: "/vector_stores",
    only: "v2",
    handler: ({ core }, ctx) =>
      json(paginate(core.store.all("vector_store"), ctx.url, (vs) => renderStore(core, vs))),
  },
  {
    method: "POST",
    path: "/vector_stores",
    only: "v2",
    async handler({ core }, ctx) {
      const body = await readJson(ctx);
      rejectUnknown(body, ["file_ids", "name", "expires_after", "chunking_strategy", "metadata"]);
      const fileIds =
        body.file_ids !== undefined ? v.stringArray(body.file_ids, "file_ids", LIMITS.filesPerBatch) : [];
      for (const id of fileIds) core.file(id, "file_ids");
      const chunking = parseChunking(body.chunking_strategy, "chunking_strategy");
      const name = v.optString(body, "name", LIMITS.nameLength) ?? null;
      const days = expiresAfter(body) ?? null;
      const vs = core.createVectorStore({ name, expiresAfterDays: days, metadata: v.metadata(body) ?? {} });
      for (const id of fileIds) core.addVectorStoreFile(vs.id, id, chunking);
      return json(renderStore(core, vs));
    },
  },
  {
    method: "GET",
    path: "/vector_stores/:vector_store_id",
    only: "v2",
    handler: ({ core }, ctx) => json(renderStore(core, core.vectorStore(ctx.params.vector_store_id!))),
  },
  {
    method: "POST",
    path: "/vector_stores/:vector_store_id",
    only: "v2",
    async handler({ core }, ctx) {
      const vs = core.vectorStore(ctx.params.vector_store_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, ["name", "expires_after", "metadata"]);
      const name = v.optString(body, "name", LIMITS.nameLength);
      if (name !== undefined) vs.name = name;
      const days = expiresAfter(body);
      if (days !== undefined) vs.expires_after = days === null ? null : { anchor: "last_active_at", days };
      const md = v.metadata(body);
      if (md) vs.metadata = md;
      core.store.put("vector_store", vs);
      return json(renderStore(core, vs));
    },
  },
  {
    method: "DELETE",
    path: "/vector_stores/:vector_store_id",
    only: "v2",
    handler({ core }, ctx) {
      const vs = core.vectorStore(ctx.params.vector_store_id!);
      for (const f of core.vectorStoreFiles(vs.id)) core.removeVectorStoreFile(f);
      for (const b of core.store.all("file_batch"))
        if (b.vector_store_id === vs.id) core.store.delete("file_batch", b.id);
      for (const kind of ["assistant", "thread"] as const) {
        for (const rec of core.store.all(kind)) {
          const ids = rec.tool_resources.file_search?.vector_store_ids;
          if (ids?.includes(vs.id)) {
            rec.tool_resources = {
              ...rec.tool_resources,
              file_search: { vector_store_ids: ids.filter((x) => x !== vs.id) },
            };
            core.store.put(kind, rec);
          }
        }
      }
      core.store.delete("vector_store", vs.id);
      return json({ id: vs.id, object: "vector_store.deleted", deleted: true });
    },
  },
  {
    method: "GET",
    path: "/vector_stores/:vector_store_id/files",
    only: "v2",
    handler({ core }, ctx) {
      const vs = core.vectorStore(ctx.params.vector_store_id!);
      return json(paginate(filtered(ctx, core.vectorStoreFiles(vs.id)), ctx.url, render.vectorStoreFile));
    },
  },
  {
    method: "POST",
    path: "/vector_stores/:vector_store_id/files",
    only: "v2",
    async handler({ core }, ctx) {
      const vs = core.vectorStore(ctx.params.vector_store_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, ["file_id", "chunking_strategy"]);
      const fileId = v.reqString(body, "file_id");
      core.file(fileId, "file_id");
      const chunking = parseChunking(body.chunking_strategy, "chunking_strategy");
      core.touchVectorStore(vs.id);
      return json(render.vectorStoreFile(core.addVectorStoreFile(vs.id, fileId, chunking)));
    },
  },
  {
    method: "GET",
    path: "/vector_stores/:vector_store_id/files/:file_id",
    only: "v2",
    handler({ core }, ctx) {
      const vs = core.vectorStore(ctx.params.vector_store_id!);
      return json(render.vectorStoreFile(vsFile(core, vs.id, ctx.params.file_id!)));
    },
  },
  {
    method: "DELETE",
    path: "/vector_stores/:vector_store_id/files/:file_id",
    only: "v2",
    handler({ core }, ctx) {
      const vs = core.vectorStore(ctx.params.vector_store_id!);
      const f = vsFile(core, vs.id, ctx.params.file_id!);
      core.removeVectorStoreFile(f);
      return json({ id: f.id, object: "vector_store.file.deleted", deleted: true });
    },
  },
  {
    method: "POST",
    path: "/vector_stores/:vector_store_id/file_batches",
    only: "v2",
    async handler({ core }, ctx) {
      const vs = core.vectorStore(ctx.params.vector_store_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, ["file_ids", "chunking_strategy"]);
      if (body.file_ids === undefined)
        throw errors.invalid(
          "Missing required parameter: 'file_ids'.",
          "file_ids",
          "missing_required_parameter",
        );
      const fileIds = v.stringArray(body.file_ids, "file_ids", LIMITS.filesPerBatch);
      if (fileIds.length === 0)
        throw errors.invalid("Invalid 'file_ids': expected at least one file id.", "file_ids");
      for (const id of fileIds) core.file(id, "file_ids");
      const chunking = parseChunking(body.chunking_strategy, "chunking_strategy");
      const b: FileBatchRec = {
        id: newId(ID_PREFIX.fileBatch),
        object: "vector_store.files_batch",
        created_at: nowSeconds(),
        _seq: core.store.nextSeq(),
        vector_store_id: vs.id,
        _fileIds: fileIds,
        _cancelled: false,
      };
      core.store.put("file_batch", b);
      for (const id of fileIds) core.addVectorStoreFile(vs.id, id, chunking, b.id);
      core.touchVectorStore(vs.id);
      return json(renderBatch(core, b));
    },
  },
  {
    method: "GET",
    path: "/vector_stores/:vector_store_id/file_batches/:batch_id",
    only: "v2",
    handler({ core }, ctx) {
      const vs = core.vectorStore(ctx.params.vector_store_id!);
      return json(renderBatch(core, batch(core, vs.id, ctx.params.batch_id!)));
    },
  },
  {
    method: "POST",
    path: "/vector_stores/:vector_store_id/file_batches/:batch_id/cancel",
    only: "v2",
    handler({ core }, ctx) {
      const vs = core.vectorStore(ctx.params.vector_store_id!);
      const b = batch(core, vs.id, ctx.params.batch_id!);
      const files = batchFiles(core, b);
      if (!files.some((f) => f.status === "in_progress"))
        throw errors.conflict(`Cannot cancel batch ${b.id}: it is no longer in progress.`);
      for (const f of files) {
        if (f.status === "in_progress") core.store.put("vector_store_file", { ...f, status: "cancelled" });
      }
      b._cancelled = true;
      core.store.put("file_batch", b);
      return json(renderBatch(core, b));
    },
  },
  {
    method: "GET",
    path: "/vector_stores/:vector_store_id/file_batches/:batch_id/files",
    only: "v2",
    handler({ core }, ctx) {
      const vs = core.vectorStore(ctx.params.vector_store_id!);
      const b = batch(core, vs.id, ctx.params.batch_id!);
      return json(paginate(filtered(ctx, batchFiles(core, b)), ctx.url, render.vectorStoreFile));
    },
  },
];
