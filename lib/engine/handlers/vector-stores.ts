import { parseChunking, type Core } from "../core";
import { errors } from "../errors";
import { ID_PREFIX, newId, nowSeconds } from "../ids";
import { json, listPage, pageQuery, readJson, type Ctx } from "../http";
import { LIMITS } from "../limits";
import type { FileBatchRec, VectorStoreFileRec, VectorStoreRec } from "../records";
import * as render from "../render";
import { rejectUnknown, type Route } from "../services";
import type { Filter } from "../store";
import * as v from "../validate";

const FILTERS = ["in_progress", "completed", "failed", "cancelled"];

async function renderStore(core: Core, vs: VectorStoreRec) {
  const files = await core.vectorStoreFiles(vs.id);
  return render.vectorStore(
    vs,
    render.countFiles(files),
    files.reduce((n, f) => n + f.usage_bytes, 0),
  );
}

function batchFilter(b: FileBatchRec): Filter {
  return { eq: { vector_store_id: b.vector_store_id }, contains: { _batchIds: [b.id] } };
}

async function renderBatch(core: Core, b: FileBatchRec) {
  return render.fileBatch(b, render.countFiles(await core.store.list("vector_store_file", batchFilter(b))));
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

/** The list's `filter` query parameter (a status) added to `base`. */
function filtered(ctx: Ctx, base: Filter): Filter {
  const filter = ctx.url.searchParams.get("filter");
  if (filter === null) return base;
  if (!FILTERS.includes(filter))
    throw errors.invalid(`Invalid value for 'filter': expected one of ${FILTERS.join(", ")}.`, "filter");
  return { ...base, eq: { ...base.eq, status: filter } };
}

async function vsFile(core: Core, vsId: string, fileId: string): Promise<VectorStoreFileRec> {
  const f = await core.store.get("vector_store_file", `${vsId}__${fileId}`);
  if (!f) throw errors.notFound("vector store file", fileId);
  return f;
}

async function batch(core: Core, vsId: string, batchId: string): Promise<FileBatchRec> {
  const b = await core.store.get("file_batch", batchId);
  if (!b || b.vector_store_id !== vsId) throw errors.notFound("file batch", batchId);
  return b;
}

export const vectorStoreRoutes: Route[] = [
  {
    method: "GET",
    path: "/vector_stores",
    only: "v2",
    handler: async ({ core }, ctx) =>
      json(
        await listPage(
          () => core.store.page("vector_store", {}, pageQuery(ctx.url)),
          (vs) => renderStore(core, vs),
        ),
      ),
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
      for (const id of fileIds) await core.file(id, "file_ids");
      const chunking = parseChunking(body.chunking_strategy, "chunking_strategy");
      const name = v.optString(body, "name", LIMITS.nameLength) ?? null;
      const days = expiresAfter(body) ?? null;
      const metadata = v.metadata(body) ?? {};
      const vs = await core.store.transaction(async () => {
        const vs = await core.createVectorStore({ name, expiresAfterDays: days, metadata });
        for (const id of fileIds) await core.addVectorStoreFile(vs.id, id, chunking);
        return vs;
      });
      return json(await renderStore(core, vs));
    },
  },
  {
    method: "GET",
    path: "/vector_stores/:vector_store_id",
    only: "v2",
    handler: async ({ core }, ctx) =>
      json(await renderStore(core, await core.vectorStore(ctx.params.vector_store_id!))),
  },
  {
    method: "POST",
    path: "/vector_stores/:vector_store_id",
    only: "v2",
    async handler({ core }, ctx) {
      await core.vectorStore(ctx.params.vector_store_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, ["name", "expires_after", "metadata"]);
      const name = v.optString(body, "name", LIMITS.nameLength);
      const days = expiresAfter(body);
      const md = v.metadata(body);
      const vs = await core.store.transaction(async () => {
        const vs =
          (await core.store.lock("vector_store", ctx.params.vector_store_id!)) ??
          (await core.vectorStore(ctx.params.vector_store_id!));
        if (name !== undefined) vs.name = name;
        if (days !== undefined) vs.expires_after = days === null ? null : { anchor: "last_active_at", days };
        if (md) vs.metadata = md;
        await core.store.put("vector_store", vs);
        return vs;
      });
      return json(await renderStore(core, vs));
    },
  },
  {
    method: "DELETE",
    path: "/vector_stores/:vector_store_id",
    only: "v2",
    async handler({ core }, ctx) {
      const vs = await core.vectorStore(ctx.params.vector_store_id!);
      await core.store.transaction(async () => {
        for (const f of await core.vectorStoreFiles(vs.id)) await core.removeVectorStoreFile(f);
        await core.store.deleteWhere("file_batch", { eq: { vector_store_id: vs.id } });
        const uses = { contains: { tool_resources: { file_search: { vector_store_ids: [vs.id] } } } };
        for (const kind of ["assistant", "thread"] as const) {
          for (const rec of await core.store.list(kind, uses)) {
            const ids = rec.tool_resources.file_search?.vector_store_ids ?? [];
            rec.tool_resources = {
              ...rec.tool_resources,
              file_search: { vector_store_ids: ids.filter((x) => x !== vs.id) },
            };
            await core.store.put(kind, rec);
          }
        }
        await core.store.delete("vector_store", vs.id);
      });
      return json({ id: vs.id, object: "vector_store.deleted", deleted: true });
    },
  },
  {
    method: "GET",
    path: "/vector_stores/:vector_store_id/files",
    only: "v2",
    async handler({ core }, ctx) {
      const vs = await core.vectorStore(ctx.params.vector_store_id!);
      const filter = filtered(ctx, { eq: { vector_store_id: vs.id } });
      const query = pageQuery(ctx.url);
      return json(
        await listPage(() => core.store.page("vector_store_file", filter, query), render.vectorStoreFile),
      );
    },
  },
  {
    method: "POST",
    path: "/vector_stores/:vector_store_id/files",
    only: "v2",
    async handler({ core }, ctx) {
      const vs = await core.vectorStore(ctx.params.vector_store_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, ["file_id", "chunking_strategy"]);
      const fileId = v.reqString(body, "file_id");
      await core.file(fileId, "file_id");
      const chunking = parseChunking(body.chunking_strategy, "chunking_strategy");
      const vsf = await core.store.transaction(async () => {
        await core.touchVectorStore(vs.id);
        return core.addVectorStoreFile(vs.id, fileId, chunking);
      });
      return json(render.vectorStoreFile(vsf));
    },
  },
  {
    method: "GET",
    path: "/vector_stores/:vector_store_id/files/:file_id",
    only: "v2",
    async handler({ core }, ctx) {
      const vs = await core.vectorStore(ctx.params.vector_store_id!);
      return json(render.vectorStoreFile(await vsFile(core, vs.id, ctx.params.file_id!)));
    },
  },
  {
    method: "DELETE",
    path: "/vector_stores/:vector_store_id/files/:file_id",
    only: "v2",
    async handler({ core }, ctx) {
      const vs = await core.vectorStore(ctx.params.vector_store_id!);
      const f = await vsFile(core, vs.id, ctx.params.file_id!);
      await core.removeVectorStoreFile(f);
      return json({ id: f.id, object: "vector_store.file.deleted", deleted: true });
    },
  },
  {
    method: "POST",
    path: "/vector_stores/:vector_store_id/file_batches",
    only: "v2",
    async handler({ core }, ctx) {
      const vs = await core.vectorStore(ctx.params.vector_store_id!);
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
      for (const id of fileIds) await core.file(id, "file_ids");
      const chunking = parseChunking(body.chunking_strategy, "chunking_strategy");
      // The batch and its files: all or nothing.
      const b = await core.store.transaction(async () => {
        const b: FileBatchRec = {
          id: newId(ID_PREFIX.fileBatch),
          object: "vector_store.files_batch",
          created_at: nowSeconds(),
          _seq: await core.store.nextSeq(),
          vector_store_id: vs.id,
          _fileIds: fileIds,
          _cancelled: false,
        };
        await core.store.put("file_batch", b);
        for (const id of fileIds) await core.addVectorStoreFile(vs.id, id, chunking, b.id);
        await core.touchVectorStore(vs.id);
        return b;
      });
      return json(await renderBatch(core, b));
    },
  },
  {
    method: "GET",
    path: "/vector_stores/:vector_store_id/file_batches/:batch_id",
    only: "v2",
    async handler({ core }, ctx) {
      const vs = await core.vectorStore(ctx.params.vector_store_id!);
      return json(await renderBatch(core, await batch(core, vs.id, ctx.params.batch_id!)));
    },
  },
  {
    method: "POST",
    path: "/vector_stores/:vector_store_id/file_batches/:batch_id/cancel",
    only: "v2",
    async handler({ core }, ctx) {
      const vs = await core.vectorStore(ctx.params.vector_store_id!);
      const b = await core.store.transaction(async () => {
        const b = await batch(core, vs.id, ctx.params.batch_id!);
        const inProgress = await core.store.list("vector_store_file", {
          ...batchFilter(b),
          eq: { vector_store_id: b.vector_store_id, status: "in_progress" },
        });
        if (inProgress.length === 0)
          throw errors.conflict(`Cannot cancel batch ${b.id}: it is no longer in progress.`);
        for (const f of inProgress) await core.store.put("vector_store_file", { ...f, status: "cancelled" });
        b._cancelled = true;
        await core.store.put("file_batch", b);
        return b;
      });
      return json(await renderBatch(core, b));
    },
  },
  {
    method: "GET",
    path: "/vector_stores/:vector_store_id/file_batches/:batch_id/files",
    only: "v2",
    async handler({ core }, ctx) {
      const vs = await core.vectorStore(ctx.params.vector_store_id!);
      const b = await batch(core, vs.id, ctx.params.batch_id!);
      const filter = filtered(ctx, batchFilter(b));
      const query = pageQuery(ctx.url);
      return json(
        await listPage(() => core.store.page("vector_store_file", filter, query), render.vectorStoreFile),
      );
    },
  },
];
